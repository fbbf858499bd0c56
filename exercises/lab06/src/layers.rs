//! Слой, активация и функция потерь — для целых батчей.

use ndarray::{Array1, Array2};
use rand::rngs::StdRng;

/// Полносвязный слой: $\text{выходы} = x W^\top + b$.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// Матрица весов $W$, выходы × входы.
    pub weight: Array2<f64>,
    /// Смещения $b$, по одному на выход.
    pub bias: Array1<f64>,
}

impl Linear {
    /// Слой с инициализацией Хе (He et al., 2015), подходящей для ReLU:
    /// $$W_{ij} \sim \mathcal{N}\!\left(0,\ \frac{2}{\text{входы}}\right), \qquad b = 0.$$
    ///
    /// Дисперсия $2/\text{входы}$ сохраняет масштаб сигнала от слоя к слою:
    /// ReLU обнуляет половину значений, двойка это возмещает.
    pub fn new(inputs: usize, outputs: usize, rng: &mut StdRng) -> Linear {
        // TODO: std = √(2/inputs); rand_distr::Normal::new(0.0, std) и его .sample(rng);
        //       веса — Array2::from_shape_simple_fn((outputs, inputs), || ...), смещения — нули
        todo!()
    }

    /// Прямой проход для батча $x$ ($n \times$ входы):
    /// $$z = x W^\top + b \qquad (n \times \text{выходы}),$$
    /// $b$ прибавляется к каждой строке.
    pub fn forward(&self, x: &Array2<f64>) -> Array2<f64> {
        // TODO: x.dot(&self.weight.t()) + &self.bias (вектор прибавится к каждой строке)
        todo!()
    }
}

/// ReLU поэлементно: $h = \max(z, 0)$ — ваша [`lab01::relu`] из
/// лабораторной 1 для каждого элемента.
pub fn relu(z: &Array2<f64>) -> Array2<f64> {
    // TODO: z.mapv(...) с вашей lab01::relu
    todo!()
}

/// Обратный проход через ReLU: градиент по входу $z$ из градиента по
/// выходу $h$,
/// $$\frac{\partial \mathcal{L}}{\partial z} = \frac{\partial \mathcal{L}}{\partial h} \odot \mathrm{ReLU}'(z)$$
/// (ваша [`lab01::relu_derivative`]: в нуле 0).
pub fn relu_backward(z: &Array2<f64>, grad_h: &Array2<f64>) -> Array2<f64> {
    // TODO: grad_h, умноженный поэлементно на lab01::relu_derivative от z
    todo!()
}

/// Средняя по батчу перекрёстная энтропия SoftMax-а от логитов $z$
/// ($n \times k$) при верных классах `labels` и её градиент по $z$:
/// $$\mathcal{L} = \frac1n \sum_{i} \bigl(\operatorname{LSE}(z_i) - z_{i, y_i}\bigr), \qquad
/// \frac{\partial \mathcal{L}}{\partial z} = \frac{\mathrm{SoftMax}(z) - Y}{n},$$
/// где $Y$ — one-hot матрица меток, а $\operatorname{LSE}(z_i) = m_i + \ln \sum_j e^{z_{ij} - m_i}$,
/// $m_i = \max_j z_{ij}$ (без переполнения при больших логитах).
///
/// Это ваши [`lab02::softmax_cross_entropy`] и
/// [`lab02::softmax_cross_entropy_gradient`] из лабораторной 2 для one-hot $Y$.
///
/// # Panics
///
/// Если меток не столько же, сколько строк, или метка $\ge k$: это ошибка
/// в вызывающем коде, а не в данных.
pub fn softmax_cross_entropy(logits: &Array2<f64>, labels: &[usize]) -> (f64, Array2<f64>) {
    // TODO: проверьте метки, постройте one-hot Y (n × k) и вызовите свои
    //       lab02::softmax_cross_entropy и lab02::softmax_cross_entropy_gradient
    todo!()
}
