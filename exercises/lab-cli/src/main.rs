//! `cargo lab` — спутник студента (как rustlings):
//!
//! * `cargo lab` — таблица прогресса: для каждой лабораторной сколько
//!   тестов пройдено, первый упавший тест и его подсказка в одну строку;
//! * `cargo lab hint 1 t07` — подсказка к тесту, `--level 2` — следующая,
//!   `--all` — все: от намёка к формуле или абзацу лекции, никогда не код;
//! * `cargo lab watch [N]` — перезапускает тесты лабораторной N (по
//!   умолчанию — первой нерешённой) при каждом сохранении файла в её `src/`
//!   и показывает первую ошибку с подсказкой.
//!
//! Работает и в курсе (лабораторные в `exercises/`), и в раздаче
//! (`cargo xtask labs handout`, лабораторные в корне).
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use lab::{Course, hints, progress, run, watch};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo lab",
    about = "Прогресс, подсказки и перезапуск тестов лабораторных"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Подсказка к тесту: `cargo lab hint 1 t07`.
    Hint {
        /// Номер лабораторной, например 1.
        lab: u32,
        /// Номер теста, например t07 (или полное имя теста).
        test: String,
        /// Какая по счёту подсказка (1 — намёк, дальше — подробнее).
        #[arg(long, default_value_t = 1)]
        level: usize,
        /// Все подсказки сразу.
        #[arg(long)]
        all: bool,
    },
    /// Перезапускать тесты при каждом сохранении: `cargo lab watch 2`.
    Watch {
        /// Номер лабораторной (по умолчанию — первая нерешённая).
        lab: Option<u32>,
    },
    /// Таблица прогресса (то же, что `cargo lab` без команды).
    Progress,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = (|| -> Result<(), String> {
        let course = Course::find(&std::env::current_dir().map_err(|e| e.to_string())?)?;
        match cli.command.unwrap_or(Command::Progress) {
            Command::Progress => {
                let rows = progress::collect(&course)?;
                print!("{}", progress::render(&rows));
                Ok(())
            }
            Command::Hint {
                lab,
                test,
                level,
                all,
            } => {
                let hints = hints::load(&course.lab_dir(lab))?;
                print!("{}", hints::render(lab, &hints, &test, level, all)?);
                Ok(())
            }
            Command::Watch { lab } => {
                let lab = match lab {
                    Some(n) => n,
                    None => progress::first_unsolved(&course)?,
                };
                watch::watch(&course, lab, run::run_lab)
            }
        }
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cargo lab: {e}");
            ExitCode::FAILURE
        }
    }
}
