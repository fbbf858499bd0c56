//! Часть 2: скаляр `Value`, который сам применяет цепное правило
//! (по мотивам micrograd А. Карпатого).
//!
//! Каждая операция делает две вещи сразу:
//!
//! 1. **прямой проход:** считает результат, например $c = a \cdot b$;
//! 2. **локальные производные:** тут же, пока входы под рукой, считает
//!    $\partial c / \partial a = b$ и $\partial c / \partial b = a$ и
//!    запоминает их в новом узле вместе со ссылками на входы.
//!
//! [`Value::backward`] потом идёт от выхода к листьям и перемножает
//! запомненные локальные производные вдоль путей — это и есть произведения
//! $\frac{\partial \mathcal{L}}{\partial \hat y} \frac{\partial \hat y}{\partial h}
//! \frac{\partial h}{\partial z} \frac{\partial z}{\partial w_1}$ из лекции.
//!
//! Готовый код: структура узла, [`Value::new`], [`Value::data`],
//! [`Value::grad`], `from_op`, операторы `+ - * /` и производные от
//! примитивов операции (`-a`, `a - b`, `a / b`). Ваше — примитивы и
//! обратный проход.

use std::cell::Cell;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::rc::Rc;

/// Узел графа вычислений: число с прямого прохода и, после
/// [`backward`](Value::backward), производная выхода по нему.
///
/// Клонирование дёшево и даёт вторую ссылку на *тот же* узел.
#[derive(Clone)]
pub struct Value(Rc<Node>);

/// То, что лежит за [`Value`]. (Готовый код.)
struct Node {
    /// Число, посчитанное на прямом проходе.
    data: f64,
    /// $\partial\,\text{выход} / \partial\,\text{этот узел}$; заполняет `backward`.
    grad: Cell<f64>,
    /// Входы операции, давшей этот узел, и локальные производные
    /// $\partial\,\text{узел} / \partial\,\text{вход}$. У листа пусто.
    inputs: Vec<(Value, f64)>,
}

impl Value {
    /// Лист графа: входное число или параметр сети. (Готовый код.)
    pub fn new(data: f64) -> Value {
        Value(Rc::new(Node {
            data,
            grad: Cell::new(0.0),
            inputs: Vec::new(),
        }))
    }

    /// Результат операции: значение `data` и пары
    /// «вход, $\partial\,\text{результат} / \partial\,\text{вход}$». (Готовый код.)
    fn from_op(data: f64, inputs: Vec<(Value, f64)>) -> Value {
        Value(Rc::new(Node {
            data,
            grad: Cell::new(0.0),
            inputs,
        }))
    }

    /// Число, посчитанное на прямом проходе. (Готовый код.)
    pub fn data(&self) -> f64 {
        self.0.data
    }

    /// Производная выхода последнего [`backward`](Value::backward) по этому
    /// узлу (0, пока `backward` не вызывали). (Готовый код.)
    pub fn grad(&self) -> f64 {
        self.0.grad.get()
    }

    /// $c = a^n$: $\quad \dfrac{\partial c}{\partial a} = n\,a^{n-1}$
    /// (при $n = 0$ производная константы равна 0).
    pub fn powi(&self, n: i32) -> Value {
        // TODO: значение a.powi(n) и локальная производная n·a^(n−1) (0 при n = 0);
        //       узел создаёт Value::from_op(значение, vec![(self.clone(), производная)])
        todo!()
    }

    /// $c = e^a$: $\quad \dfrac{\partial c}{\partial a} = e^a = c$.
    pub fn exp(&self) -> Value {
        // TODO: c = e^a, локальная производная — тоже c; Value::from_op
        todo!()
    }

    /// $c = \tanh a$: $\quad \dfrac{\partial c}{\partial a} = 1 - c^2$.
    pub fn tanh(&self) -> Value {
        // TODO: c = tanh a, локальная производная 1 − c²
        todo!()
    }

    /// $c = \sigma(a) = \dfrac{1}{1 + e^{-a}}$: $\quad \dfrac{\partial c}{\partial a} = c\,(1 - c)$.
    pub fn sigmoid(&self) -> Value {
        // TODO: c = 1 / (1 + e^(−a)), локальная производная c·(1 − c)
        todo!()
    }

    /// $c = \mathrm{ReLU}(a) = \max(a, 0)$: $\quad \dfrac{\partial c}{\partial a} = \mathbf{1}_{a > 0}$.
    pub fn relu(&self) -> Value {
        // TODO: c = max(a, 0), локальная производная 1 при a > 0, иначе 0
        todo!()
    }

    /// Все узлы, от которых зависит `self`, каждый по одному разу, в
    /// топологическом порядке: любой узел стоит *после* всех своих входов,
    /// `self` — последним.
    ///
    /// Поиск в глубину: узел добавляется в список, когда добавлены все его
    /// входы. Узел, достижимый по двум путям, не должен попасть в список
    /// дважды — запоминайте посещённые по адресу `Rc::as_ptr(&v.0)`.
    pub fn topological_order(&self) -> Vec<Value> {
        // TODO: поиск в глубину: вложенная функция visit(v, seen, order), которая
        //       пропускает уже посещённые узлы (std::collections::HashSet<*const Node>,
        //       ключ Rc::as_ptr(&v.0)), обходит v.0.inputs и только потом кладёт v в order
        todo!()
    }

    /// Обратный проход: заполняет `grad` каждого узла $v$ графа значением
    /// $\partial\,\mathtt{self} / \partial v$.
    ///
    /// 1. обнулить `grad` всех узлов (так повторный вызов даёт тот же
    ///    результат; в PyTorch листья накапливали бы градиент);
    /// 2. $\partial\,\mathtt{self} / \partial\,\mathtt{self} = 1$;
    /// 3. идти по узлам в *обратном* топологическом порядке: к моменту, когда
    ///    дошли до $c$, его градиент $\bar c$ собран по всем путям; передать
    ///    его каждому входу $a$:
    ///    $$\bar a \mathrel{+}= \frac{\partial c}{\partial a}\, \bar c.$$
    ///
    /// Именно `+=`: узел, использованный дважды, получает сумму по путям.
    pub fn backward(&self) {
        // TODO: возьмите topological_order(); обнулите grad каждого узла (v.0.grad.set(0.0));
        //       self.0.grad.set(1.0); затем по узлам c в обратном порядке:
        //       для каждого (a, dc_da) из c.0.inputs: a.grad += dc_da · c.grad
        todo!()
    }
}

/// $c = a + b$: $\quad \dfrac{\partial c}{\partial a} = 1, \quad \dfrac{\partial c}{\partial b} = 1$.
fn add(a: &Value, b: &Value) -> Value {
    // TODO: значение a + b, локальные производные 1 и 1:
    //       Value::from_op(..., vec![(a.clone(), 1.0), (b.clone(), 1.0)])
    todo!()
}

/// $c = a \cdot b$: $\quad \dfrac{\partial c}{\partial a} = b, \quad \dfrac{\partial c}{\partial b} = a$.
fn mul(a: &Value, b: &Value) -> Value {
    // TODO: значение a·b, локальные производные b и a
    todo!()
}

// Готовый код ниже: всё остальное выражено через примитивы, по строке на
// операцию, как в micrograd.

/// $-a = a \cdot (-1)$.
fn neg(a: &Value) -> Value {
    mul(a, &Value::new(-1.0))
}

/// $a - b = a + (-b)$.
fn sub(a: &Value, b: &Value) -> Value {
    add(a, &neg(b))
}

/// $a / b = a \cdot b^{-1}$.
fn div(a: &Value, b: &Value) -> Value {
    mul(a, &b.powi(-1))
}

/// Операторы для всех сочетаний `Value` и `&Value`, а также с `f64`
/// справа (число становится листом-константой).
macro_rules! operator {
    ($trait:ident, $method:ident, $f:ident) => {
        impl $trait<&Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                $f(self, rhs)
            }
        }
        impl $trait<Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                $f(self, &rhs)
            }
        }
        impl $trait<&Value> for Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                $f(&self, rhs)
            }
        }
        impl $trait<Value> for Value {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                $f(&self, &rhs)
            }
        }
        impl $trait<f64> for &Value {
            type Output = Value;
            fn $method(self, rhs: f64) -> Value {
                $f(self, &Value::new(rhs))
            }
        }
        impl $trait<f64> for Value {
            type Output = Value;
            fn $method(self, rhs: f64) -> Value {
                $f(&self, &Value::new(rhs))
            }
        }
    };
}

operator!(Add, add, add);
operator!(Sub, sub, sub);
operator!(Mul, mul, mul);
operator!(Div, div, div);

impl Neg for &Value {
    type Output = Value;
    fn neg(self) -> Value {
        neg(self)
    }
}

impl Neg for Value {
    type Output = Value;
    fn neg(self) -> Value {
        neg(&self)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value(data = {}, grad = {})", self.data(), self.grad())
    }
}
