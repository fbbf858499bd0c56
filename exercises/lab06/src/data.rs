//! Готовый код: рукописные цифры 8×8 (UCI, 1797 картинок), загрузка,
//! разбиение на обучающую и тестовую выборки и стандартизация. Менять не
//! нужно.
//!
//! Файл лежит в `data/digits.csv.gz` (происхождение — `data/PROVENANCE.md`);
//! тесты встраивают его в программу: `include_bytes!("../data/digits.csv.gz")`.

use flate2::read::GzDecoder;
use ndarray::{Array2, Axis};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::io::Read;
use thiserror::Error;

/// Число пикселей картинки 8×8 — входов сети.
pub const PIXELS: usize = 64;
/// Число классов (цифры 0..9) — выходов сети.
pub const CLASSES: usize = 10;

/// Выборка: по строке на картинку и метка класса каждой строки.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Признаки $n \times 64$: яркости пикселей, поделённые на 16 (в $[0, 1]$).
    pub x: Array2<f64>,
    /// Метки $0..9$, по одной на строку `x`.
    pub labels: Vec<usize>,
}

impl Dataset {
    /// Число примеров $n$.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// `true`, если примеров нет.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Подвыборка из строк `rows` (в этом порядке).
    pub fn select(&self, rows: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select(Axis(0), rows),
            labels: rows.iter().map(|&i| self.labels[i]).collect(),
        }
    }
}

/// Что не так с файлом данных.
#[derive(Debug, Error)]
pub enum DataError {
    /// Не удалось распаковать gzip.
    #[error("не удалось распаковать файл с цифрами: {0}")]
    Decompress(#[from] std::io::Error),
    /// Строка файла не разобралась.
    #[error("строка {line}: {message}")]
    Parse {
        /// Номер строки (с 1).
        line: usize,
        /// Что не так.
        message: String,
    },
}

/// Разбирает `digits.csv.gz`: 65 чисел в строке, пиксели делятся на 16.
pub fn load_digits(csv_gz: &[u8]) -> Result<Dataset, DataError> {
    let mut text = String::new();
    GzDecoder::new(csv_gz).read_to_string(&mut text)?;
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for (i, row) in text.lines().enumerate() {
        let line = i + 1;
        let values = row
            .split(',')
            .map(|v| v.trim().parse::<u8>())
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|e| DataError::Parse {
                line,
                message: e.to_string(),
            })?;
        if values.len() != PIXELS + 1 {
            return Err(DataError::Parse {
                line,
                message: format!("ожидалось {} чисел, найдено {}", PIXELS + 1, values.len()),
            });
        }
        let label = usize::from(values[PIXELS]);
        if label >= CLASSES || values[..PIXELS].iter().any(|&p| p > 16) {
            return Err(DataError::Parse {
                line,
                message: "пиксели должны быть от 0 до 16, метка — от 0 до 9".into(),
            });
        }
        pixels.extend(values[..PIXELS].iter().map(|&p| f64::from(p) / 16.0));
        labels.push(label);
    }
    let x = Array2::from_shape_vec((labels.len(), PIXELS), pixels)
        .expect("every row has PIXELS values");
    Ok(Dataset { x, labels })
}

/// Перемешивает примеры (с зерном `seed`) и делит на обучающую и тестовую
/// выборки; в тестовую идёт доля `test_fraction` примеров.
pub fn train_test_split(data: &Dataset, test_fraction: f64, seed: u64) -> (Dataset, Dataset) {
    let mut rows: Vec<usize> = (0..data.len()).collect();
    rows.shuffle(&mut StdRng::seed_from_u64(seed));
    let n_test = ((data.len() as f64) * test_fraction).round() as usize;
    let (test, train) = rows.split_at(n_test);
    (data.select(train), data.select(test))
}

/// Стандартизация признаков по статистикам **обучающей** выборки:
/// $$x_{ij} \leftarrow \frac{x_{ij} - \mu_j}{s_j},$$
/// где $\mu_j$ и $s_j$ — среднее и стандартное отклонение столбца $j$ в
/// `train` ($s_j = 1$, если столбец постоянен: три пикселя всегда 0).
/// Тестовая выборка преобразуется *теми же* $\mu$ и $s$: её собственные
/// статистики — это подглядывание в тест.
///
/// Градиентный спуск чувствителен к масштабу признаков (об этом говорит
/// лекция): с признаками одного масштаба сеть учится быстрее и ровнее.
pub fn standardize(train: &mut Dataset, test: &mut Dataset) {
    let mean = train
        .x
        .mean_axis(Axis(0))
        .expect("the training set is not empty");
    let std = train
        .x
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 1e-12 { s } else { 1.0 });
    train.x = (&train.x - &mean) / &std;
    test.x = (&test.x - &mean) / &std;
}
