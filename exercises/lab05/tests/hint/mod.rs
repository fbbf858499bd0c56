//! Подсказка в конце сообщения упавшего теста.
//!
//! Каждый тест начинается строкой `let _hint = hint::on_failure(N, "tNN");`:
//! если тест падает, после сообщения об ошибке появляется команда
//! `cargo lab hint N tNN` — с неё начинайте, если не ясно, что не так.

/// Пока значение живо, оно следит за тестом; при панике (тест упал)
/// печатает команду подсказки.
pub struct OnFailure {
    lab: u32,
    test: &'static str,
}

/// Следит за тестом `test` лабораторной `lab` до конца его тела.
pub fn on_failure(lab: u32, test: &'static str) -> OnFailure {
    OnFailure { lab, test }
}

impl Drop for OnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("\nподсказка: cargo lab hint {} {}", self.lab, self.test);
        }
    }
}
