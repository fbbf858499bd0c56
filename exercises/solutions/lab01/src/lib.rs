//! # Лабораторная 1. Функции активации и их производные
//!
//! Функция активации добавляет в сеть нелинейность. Обратному
//! распространению (лабораторная 3) нужна не только она сама, но и её
//! производная, поэтому здесь они всегда идут парой: `f` и `f_derivative`.
//!
//! Формулы — в документации над каждой функцией, порядок работы и
//! подсказки — в `README.md`, проверка — `cargo test -p lab01`.
#![forbid(unsafe_code)]

use ndarray::{Array1, Array2};
use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Сигмоида
/// $$\sigma(x) = \frac{1}{1 + e^{-x}}.$$
///
/// **Исправление лекции.** В лекции написано $\frac{1}{1 + e^{x}}$: такая
/// функция убывает и даёт вероятность не того класса. Верный знак — минус в
/// показателе; тест `t01_sigmoid_at_zero_and_symmetry` проверяет, что
/// $\sigma(2) > \tfrac12$.
///
/// Результат конечен для любого конечного $x$ (тест берёт $x = \pm 1000$).
pub fn sigmoid(x: f64) -> f64 {
    // e^{-x} переполняется до +∞ при x < −709, но 1/(1 + ∞) = 0 — верный предел
    1.0 / (1.0 + (-x).exp())
}

/// Производная сигмоиды, выраженная через неё саму:
/// $$\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr).$$
pub fn sigmoid_derivative(x: f64) -> f64 {
    let s = sigmoid(x);
    s * (1.0 - s)
}

/// Гиперболический тангенс
/// $$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}.$$
///
/// Формула «в лоб» при $|x| > 710$ даёт $\infty / \infty = \mathrm{NaN}$;
/// результат должен быть конечен для любого конечного $x$.
pub fn tanh(x: f64) -> f64 {
    // библиотечный tanh устойчив при любых x
    x.tanh()
}

/// Производная гиперболического тангенса:
/// $$\tanh'(x) = 1 - \tanh^2(x).$$
pub fn tanh_derivative(x: f64) -> f64 {
    let t = tanh(x);
    1.0 - t * t
}

/// ReLU (Rectified Linear Unit):
/// $$\mathrm{ReLU}(x) = \begin{cases} 0, & x < 0, \\ x, & x \ge 0. \end{cases}$$
pub fn relu(x: f64) -> f64 {
    if x >= 0.0 { x } else { 0.0 }
}

/// Производная ReLU:
/// $$\mathrm{ReLU}'(x) = \begin{cases} 0, & x \le 0, \\ 1, & x > 0. \end{cases}$$
///
/// В точке излома $x = 0$ производной нет; как и PyTorch, берём $0$.
pub fn relu_derivative(x: f64) -> f64 {
    if x > 0.0 { 1.0 } else { 0.0 }
}

/// Leaky ReLU с наклоном $\alpha$ в отрицательной области:
/// $$\mathrm{LeakyReLU}(x) = \begin{cases} \alpha x, & x < 0, \\ x, & x \ge 0. \end{cases}$$
pub fn leaky_relu(x: f64, alpha: f64) -> f64 {
    if x >= 0.0 { x } else { alpha * x }
}

/// Производная Leaky ReLU:
/// $$\mathrm{LeakyReLU}'(x) = \begin{cases} \alpha, & x \le 0, \\ 1, & x > 0. \end{cases}$$
///
/// В точке излома $x = 0$, как и PyTorch, берём $\alpha$.
pub fn leaky_relu_derivative(x: f64, alpha: f64) -> f64 {
    if x > 0.0 { 1.0 } else { alpha }
}

/// ELU (Exponential Linear Unit):
/// $$\mathrm{ELU}(x) = \begin{cases} \alpha\,(e^{x} - 1), & x < 0, \\ x, & x \ge 0. \end{cases}$$
///
/// **Уточнение к лекции.** В лекции сказано «$\alpha \ll 1$», но обычный
/// выбор (Clevert и др., 2015; значение по умолчанию в PyTorch) — $\alpha = 1$:
/// тогда ELU гладко продолжает прямую $y = x$. Маленькое $\alpha$ — привычка
/// Leaky ReLU.
pub fn elu(x: f64, alpha: f64) -> f64 {
    // exp_m1 точнее, чем exp(x) − 1, при x близких к нулю
    if x >= 0.0 { x } else { alpha * x.exp_m1() }
}

/// Производная ELU:
/// $$\mathrm{ELU}'(x) = \begin{cases} \alpha\, e^{x}, & x \le 0, \\ 1, & x > 0. \end{cases}$$
///
/// В точке $x = 0$, как и PyTorch, берём левую производную $\alpha$.
pub fn elu_derivative(x: f64, alpha: f64) -> f64 {
    if x > 0.0 { 1.0 } else { alpha * x.exp() }
}

/// GELU (Gaussian Error Linear Unit), точная формула:
/// $$\mathrm{GELU}(x) = x \cdot \frac{1}{2}\left(1 + \mathrm{erf}\left(\frac{x}{\sqrt{2}}\right)\right) = x\,\Phi(x),$$
/// где $\mathrm{erf}$ — функция ошибок Гаусса ([`libm::erf`]), а $\Phi$ —
/// функция распределения стандартного нормального закона.
pub fn gelu(x: f64) -> f64 {
    x * 0.5 * (1.0 + libm::erf(x * FRAC_1_SQRT_2))
}

/// Производная GELU:
/// $$\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \qquad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}.$$
pub fn gelu_derivative(x: f64) -> f64 {
    let cdf = 0.5 * (1.0 + libm::erf(x * FRAC_1_SQRT_2)); // Φ(x)
    let pdf = (-0.5 * x * x).exp() / (2.0 * PI).sqrt(); // φ(x)
    cdf + x * pdf
}

/// Приближение GELU из лекции:
/// $$\mathrm{GELU}(x) \approx x \cdot \sigma(1.702\,x).$$
pub fn gelu_sigmoid(x: f64) -> f64 {
    x * sigmoid(1.702 * x)
}

/// Производная приближения (правило произведения и цепное правило):
/// $$\frac{d}{dx}\bigl(x\,\sigma(1.702x)\bigr) = \sigma(1.702x) + 1.702\,x\,\sigma(1.702x)\bigl(1 - \sigma(1.702x)\bigr).$$
pub fn gelu_sigmoid_derivative(x: f64) -> f64 {
    let s = sigmoid(1.702 * x);
    s + 1.702 * x * s * (1.0 - s)
}

/// SoftMax вектора $z$:
/// $$\mathrm{SoftMax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}} = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}, \qquad m = \max_j z_j.$$
///
/// Вторая форма равна первой (числитель и знаменатель умножены на $e^{-m}$),
/// но не переполняется: все показатели $\le 0$. Результат — вероятности:
/// неотрицательны и в сумме дают 1.
pub fn softmax(z: &Array1<f64>) -> Array1<f64> {
    let m = z.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let e = z.mapv(|z_i| (z_i - m).exp());
    let sum = e.sum();
    e / sum
}

/// Матрица Якоби SoftMax, $k \times k$:
/// $$J_{ij} = \frac{\partial s_i}{\partial z_j} = s_i\,(\delta_{ij} - s_j), \qquad s = \mathrm{SoftMax}(z),$$
/// где $\delta_{ij} = 1$ при $i = j$ и $0$ иначе.
pub fn softmax_jacobian(z: &Array1<f64>) -> Array2<f64> {
    let s = softmax(z);
    let k = s.len();
    Array2::from_shape_fn((k, k), |(i, j)| {
        let delta_ij = if i == j { 1.0 } else { 0.0 };
        s[i] * (delta_ij - s[j])
    })
}
