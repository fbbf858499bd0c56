//! Сеть $64 \to 32 \to 10$: прямой и обратный проходы для батча.

use crate::data::Dataset;
use crate::layers::Linear;
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;

/// Многослойный перцептрон с одним скрытым слоем:
/// $$z_1 = x W_1^\top + b_1, \qquad h_1 = \mathrm{ReLU}(z_1), \qquad z_2 = h_1 W_2^\top + b_2.$$
/// Выход $z_2$ — логиты; вероятности даёт SoftMax внутри функции потерь.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// Скрытый слой: входы → скрытые нейроны.
    pub l1: Linear,
    /// Выходной слой: скрытые нейроны → классы.
    pub l2: Linear,
}

/// Всё, что прямой проход запоминает для обратного.
#[derive(Debug, Clone, PartialEq)]
pub struct Cache {
    /// Вход $x$, $n \times$ входы.
    pub x: Array2<f64>,
    /// $z_1 = x W_1^\top + b_1$.
    pub z1: Array2<f64>,
    /// $h_1 = \mathrm{ReLU}(z_1)$.
    pub h1: Array2<f64>,
    /// Логиты $z_2 = h_1 W_2^\top + b_2$, $n \times$ классы.
    pub z2: Array2<f64>,
}

/// Градиенты потери по всем параметрам; формы — как у параметров.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// $\partial \mathcal{L} / \partial W_1$.
    pub dw1: Array2<f64>,
    /// $\partial \mathcal{L} / \partial b_1$.
    pub db1: Array1<f64>,
    /// $\partial \mathcal{L} / \partial W_2$.
    pub dw2: Array2<f64>,
    /// $\partial \mathcal{L} / \partial b_2$.
    pub db2: Array1<f64>,
}

impl Mlp {
    /// Сеть `inputs` → `hidden` → `classes`; оба слоя — [`Linear::new`] с
    /// одним и тем же генератором (сначала скрытый, потом выходной).
    pub fn new(inputs: usize, hidden: usize, classes: usize, rng: &mut StdRng) -> Mlp {
        // TODO: два Linear::new с одним rng: сначала l1 (inputs → hidden), потом l2 (hidden → classes)
        todo!()
    }

    /// Прямой проход для батча $x$: $z_1$, $h_1$, $z_2$ по формулам [`Mlp`].
    pub fn forward(&self, x: &Array2<f64>) -> Cache {
        // TODO: z1 = l1.forward(x), h1 = relu(&z1), z2 = l2.forward(&h1); верните Cache (x.clone() тоже)
        todo!()
    }

    /// Обратный проход: из $\partial \mathcal{L} / \partial z_2$ (`dz2`,
    /// $n \times$ классы) — градиенты всех параметров. Цепное правило для
    /// матриц (проверьте формы!):
    /// $$\frac{\partial \mathcal{L}}{\partial W_2} = \Bigl(\frac{\partial \mathcal{L}}{\partial z_2}\Bigr)^{\!\top} h_1, \qquad
    /// \frac{\partial \mathcal{L}}{\partial b_2} = \sum_{\text{строки}} \frac{\partial \mathcal{L}}{\partial z_2}, \qquad
    /// \frac{\partial \mathcal{L}}{\partial h_1} = \frac{\partial \mathcal{L}}{\partial z_2} W_2,$$
    /// $$\frac{\partial \mathcal{L}}{\partial z_1} = \frac{\partial \mathcal{L}}{\partial h_1} \odot \mathbf{1}_{z_1 > 0}, \qquad
    /// \frac{\partial \mathcal{L}}{\partial W_1} = \Bigl(\frac{\partial \mathcal{L}}{\partial z_1}\Bigr)^{\!\top} x, \qquad
    /// \frac{\partial \mathcal{L}}{\partial b_1} = \sum_{\text{строки}} \frac{\partial \mathcal{L}}{\partial z_1}.$$
    pub fn backward(&self, cache: &Cache, dz2: &Array2<f64>) -> Gradients {
        // TODO: шесть строк — формулы из документации по порядку; dz2.t().dot(...), sum_axis(Axis(0)),
        //       relu_backward(&cache.z1, &dh1)
        todo!()
    }

    /// Предсказанный класс каждой строки $x$: номер наибольшего логита.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        // TODO: forward, затем в каждой строке z2 номер наибольшего элемента
        todo!()
    }
}

/// Доля верно предсказанных меток выборки, от 0 до 1 (0 для пустой выборки).
pub fn accuracy(model: &Mlp, data: &Dataset) -> f64 {
    // TODO: 0 для пустой выборки; иначе доля совпадений predict(&data.x) с data.labels
    todo!()
}
