//! Библиотека команды `cargo lab`: где лабораторные ([`Course`]), их
//! подсказки ([`hints`]), запуск тестов и разбор вывода ([`run`]), таблица
//! прогресса ([`progress`]) и перезапуск при сохранении ([`watch`]).
#![forbid(unsafe_code)]

pub mod course;
pub mod hints;
pub mod progress;
pub mod run;
pub mod watch;

pub use course::Course;
