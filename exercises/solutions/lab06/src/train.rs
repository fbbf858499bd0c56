//! Мини-батчи, оптимизатор и сам цикл обучения.

use crate::data::{CLASSES, Dataset, PIXELS};
use crate::layers::softmax_cross_entropy;
use crate::network::{Gradients, Mlp};
use ndarray::{Array, Dimension, Zip};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use thiserror::Error;

/// Индексы примеров $0..n$, перемешанные генератором `rng` и нарезанные
/// на батчи по `batch_size` (последний может быть короче). Каждый индекс
/// встречается ровно один раз: это одна эпоха.
pub fn batches(n: usize, batch_size: usize, rng: &mut StdRng) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order.chunks(batch_size).map(<[usize]>::to_vec).collect()
}

/// SGD с импульсом для всех параметров сети:
/// $$v \leftarrow \mu v + g, \qquad w \leftarrow w - \eta v, \qquad v_0 = 0$$
/// (для каждого из $W_1, b_1, W_2, b_2$ своя «скорость» $v$).
#[derive(Debug, Clone)]
pub struct MomentumSgd {
    /// Скорость обучения $\eta$.
    pub eta: f64,
    /// Коэффициент импульса $\mu$.
    pub mu: f64,
    /// Скорости $v$; `None` до первого шага.
    pub velocity: Option<Gradients>,
}

impl MomentumSgd {
    /// Оптимизатор без накопленной скорости. (Готовый код.)
    pub fn new(eta: f64, mu: f64) -> MomentumSgd {
        MomentumSgd {
            eta,
            mu,
            velocity: None,
        }
    }

    /// Один шаг для всех четырёх параметров сети по градиентам `grads`.
    /// На первом шаге скорости — нули той же формы, что градиенты.
    pub fn step(&mut self, model: &mut Mlp, grads: &Gradients) {
        let (eta, mu) = (self.eta, self.mu);
        let v = self.velocity.get_or_insert_with(|| Gradients {
            dw1: grads.dw1.mapv(|_| 0.0),
            db1: grads.db1.mapv(|_| 0.0),
            dw2: grads.dw2.mapv(|_| 0.0),
            db2: grads.db2.mapv(|_| 0.0),
        });
        momentum_update(&mut model.l1.weight, &mut v.dw1, &grads.dw1, eta, mu);
        momentum_update(&mut model.l1.bias, &mut v.db1, &grads.db1, eta, mu);
        momentum_update(&mut model.l2.weight, &mut v.dw2, &grads.dw2, eta, mu);
        momentum_update(&mut model.l2.bias, &mut v.db2, &grads.db2, eta, mu);
    }
}

// v ← μv + g, w ← w − ηv, element by element, for a matrix or a vector
fn momentum_update<D: Dimension>(
    w: &mut Array<f64, D>,
    v: &mut Array<f64, D>,
    g: &Array<f64, D>,
    eta: f64,
    mu: f64,
) {
    Zip::from(w).and(v).and(g).for_each(|w, v, &g| {
        *v = mu * *v + g;
        *w -= eta * *v;
    });
}

/// Гиперпараметры обучения.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Нейронов в скрытом слое.
    pub hidden: usize,
    /// Эпох — проходов по обучающей выборке.
    pub epochs: usize,
    /// Примеров в батче.
    pub batch_size: usize,
    /// Скорость обучения $\eta$.
    pub eta: f64,
    /// Импульс $\mu$.
    pub mu: f64,
    /// Зерно генератора: инициализация и перемешивание.
    pub seed: u64,
}

impl Default for TrainConfig {
    /// Настройки, с которыми решение достигает 95 % за секунды (можно
    /// менять, если ваша сеть учится иначе). (Готовый код.)
    fn default() -> Self {
        TrainConfig {
            hidden: 32,
            epochs: 20,
            batch_size: 32,
            eta: 0.05,
            mu: 0.9,
            seed: 0,
        }
    }
}

/// Почему обучение не началось. (Готовый код.)
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TrainError {
    /// Недопустимый гиперпараметр.
    #[error("недопустимое значение {name} = {value}: нужно {expected}")]
    InvalidConfig {
        /// Имя поля [`TrainConfig`].
        name: &'static str,
        /// Значение.
        value: f64,
        /// Допустимые значения.
        expected: &'static str,
    },
    /// Обучающая выборка пуста или не той ширины.
    #[error(
        "в обучающей выборке {rows} строк по {cols} признаков; нужна хотя бы одна строка из {PIXELS}"
    )]
    BadData {
        /// Строк.
        rows: usize,
        /// Столбцов.
        cols: usize,
    },
}

impl TrainConfig {
    /// Проверяет гиперпараметры: всё, кроме `seed`, положительно,
    /// $\eta$ конечна, $0 \le \mu < 1$. (Готовый код.)
    pub fn validate(&self) -> Result<(), TrainError> {
        let invalid = |name, value: f64, expected| {
            Err(TrainError::InvalidConfig {
                name,
                value,
                expected,
            })
        };
        if self.hidden == 0 {
            return invalid("hidden", 0.0, "≥ 1");
        }
        if self.epochs == 0 {
            return invalid("epochs", 0.0, "≥ 1");
        }
        if self.batch_size == 0 {
            return invalid("batch_size", 0.0, "≥ 1");
        }
        if !(self.eta > 0.0 && self.eta.is_finite()) {
            return invalid("eta", self.eta, "конечное и > 0");
        }
        if !(0.0..1.0).contains(&self.mu) {
            return invalid("mu", self.mu, "из [0, 1)");
        }
        Ok(())
    }
}

/// История обучения.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// Средняя по батчам потеря каждой эпохи.
    pub epoch_loss: Vec<f64>,
}

/// Обучает сеть `PIXELS → hidden → CLASSES` на обучающей выборке `data`:
/// проверить `config` и данные, создать генератор
/// `StdRng::seed_from_u64(config.seed)`, сеть ([`Mlp::new`]) и оптимизатор
/// ([`MomentumSgd::new`]); затем `epochs` раз: для каждого батча из
/// [`batches`] — прямой проход, потеря и её градиент по логитам,
/// обратный проход, шаг оптимизатора. Возвращает сеть и среднюю потерю
/// каждой эпохи.
pub fn train(data: &Dataset, config: &TrainConfig) -> Result<(Mlp, History), TrainError> {
    config.validate()?;
    let (rows, cols) = data.x.dim();
    if rows == 0 || cols != PIXELS {
        return Err(TrainError::BadData { rows, cols });
    }
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut model = Mlp::new(PIXELS, config.hidden, CLASSES, &mut rng);
    let mut optimizer = MomentumSgd::new(config.eta, config.mu);
    let mut history = History::default();
    for _epoch in 0..config.epochs {
        let mut total = 0.0;
        let epoch = batches(data.len(), config.batch_size, &mut rng);
        for rows in &epoch {
            let batch = data.select(rows);
            let cache = model.forward(&batch.x);
            let (loss, dz2) = softmax_cross_entropy(&cache.z2, &batch.labels);
            let grads = model.backward(&cache, &dz2);
            optimizer.step(&mut model, &grads);
            total += loss;
        }
        history.epoch_loss.push(total / epoch.len() as f64);
    }
    Ok((model, history))
}
