//! Мини-батчи, оптимизатор и сам цикл обучения.

use crate::data::{Dataset, PIXELS};
use crate::network::{Gradients, Mlp};
use lab04::Momentum;
use rand::rngs::StdRng;
use thiserror::Error;

/// Индексы примеров $0..n$, перемешанные генератором `rng` и нарезанные
/// на батчи по `batch_size` (последний может быть короче). Каждый индекс
/// встречается ровно один раз: это одна эпоха.
pub fn batches(n: usize, batch_size: usize, rng: &mut StdRng) -> Vec<Vec<usize>> {
    // TODO: индексы 0..n в Vec, перемешайте (use rand::seq::SliceRandom; order.shuffle(rng)),
    //       нарежьте .chunks(batch_size) и соберите в Vec<Vec<usize>>
    todo!()
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
        // TODO: при первом шаге — четыре lab04::Momentum::new(self.eta, self.mu);
        //       для каждого параметра: set_learning_rate(self.eta), затем step по вектору
        //       его элементов (w.iter().copied().collect()) и запись обратно в w
        todo!()
    }
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
    // TODO: config.validate()?; данные: хотя бы одна строка и PIXELS столбцов, иначе
    //       Err(TrainError::BadData { rows, cols }); затем rng = StdRng::seed_from_u64(config.seed),
    //       Mlp::new(PIXELS, config.hidden, CLASSES, &mut rng), MomentumSgd::new(config.eta, config.mu),
    //       lab05::CosineAnnealing::new(config.eta / 10.0, config.eta, config.epochs);
    //       эпохи: optimizer.eta из расписания, батчи из batches(...), data.select(rows), forward → softmax_cross_entropy →
    //       backward → step; в history.epoch_loss — средняя потеря батчей эпохи
    todo!()
}
