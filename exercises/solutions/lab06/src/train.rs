//! Мини-батчи, оптимизатор и сам цикл обучения.

use crate::data::{CLASSES, Dataset, PIXELS};
use crate::layers::softmax_cross_entropy;
use crate::network::{Gradients, Mlp};
use lab04::{Momentum, Optimizer};
use lab05::{CosineAnnealing, Scheduler};
use ndarray::{Array, Array1, Dimension};
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
/// — ваш [`lab04::Momentum`] из лабораторной 4, по одному на каждый из
/// $W_1, b_1, W_2, b_2$ (матрица — как вектор её элементов).
#[derive(Debug, Clone)]
pub struct MomentumSgd {
    /// Скорость обучения $\eta$.
    pub eta: f64,
    /// Коэффициент импульса $\mu$.
    pub mu: f64,
    /// Оптимизаторы лабораторной 4 для $W_1, b_1, W_2, b_2$; пусто до
    /// первого шага.
    pub optimizers: Vec<Momentum>,
}

impl MomentumSgd {
    /// Оптимизатор без накопленной скорости. (Готовый код.)
    pub fn new(eta: f64, mu: f64) -> MomentumSgd {
        MomentumSgd {
            eta,
            mu,
            optimizers: Vec::new(),
        }
    }

    /// Один шаг для всех четырёх параметров сети по градиентам `grads` со
    /// скоростью обучения `self.eta` (расписание может менять её между
    /// шагами). На первом шаге создаются четыре `Momentum::new(eta, mu)`.
    ///
    /// # Panics
    ///
    /// Если $\eta$ или $\mu$ недопустимы (их проверяет [`TrainConfig::validate`]).
    pub fn step(&mut self, model: &mut Mlp, grads: &Gradients) {
        if self.optimizers.is_empty() {
            let new = || Momentum::new(self.eta, self.mu).expect("η and μ are validated");
            self.optimizers = vec![new(), new(), new(), new()];
        }
        let eta = self.eta;
        let [w1, b1, w2, b2] = &mut self.optimizers[..] else {
            unreachable!("four optimizers, one per parameter")
        };
        update(w1, eta, &mut model.l1.weight, &grads.dw1);
        update(b1, eta, &mut model.l1.bias, &grads.db1);
        update(w2, eta, &mut model.l2.weight, &grads.dw2);
        update(b2, eta, &mut model.l2.bias, &grads.db2);
    }
}

// lab04's optimizers step vectors: a matrix goes in as its elements in
// order and comes back the same way
fn update<D: Dimension>(opt: &mut Momentum, eta: f64, w: &mut Array<f64, D>, g: &Array<f64, D>) {
    opt.set_learning_rate(eta);
    let mut flat: Array1<f64> = w.iter().copied().collect();
    let grad: Array1<f64> = g.iter().copied().collect();
    opt.step(&mut flat, &grad).expect("w and g have one shape");
    w.iter_mut().zip(flat).for_each(|(w, v)| *w = v);
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
/// `StdRng::seed_from_u64(config.seed)`, сеть ([`Mlp::new`]), оптимизатор
/// ([`MomentumSgd::new`]) и косинусное расписание лабораторной 5
/// `lab05::CosineAnnealing::new(eta / 10, eta, epochs)`; затем `epochs`
/// раз: скорость обучения эпохи $t$ из расписания, и для каждого батча из
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
    let schedule = CosineAnnealing::new(config.eta / 10.0, config.eta, config.epochs)
        .expect("eta and epochs are validated");
    let mut history = History::default();
    for epoch in 0..config.epochs {
        optimizer.eta = schedule.learning_rate(epoch);
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
