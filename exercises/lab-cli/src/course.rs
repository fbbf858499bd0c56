//! Где лежат лабораторные: в курсе — `exercises/labNN`, в раздаче —
//! `labNN` в корне рабочего пространства.

use std::fs;
use std::path::{Path, PathBuf};

/// Рабочее пространство с лабораторными.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    /// Корень рабочего пространства (там запускается `cargo test`).
    pub root: PathBuf,
    /// Каталог, где лежат `labNN/`.
    pub labs_dir: PathBuf,
}

impl Course {
    /// Ищет рабочее пространство с лабораторными, поднимаясь от `start`.
    pub fn find(start: &Path) -> Result<Course, String> {
        for dir in start.ancestors() {
            let manifest = dir.join("Cargo.toml");
            let is_workspace = fs::read_to_string(&manifest)
                .map(|t| t.lines().any(|l| l.trim() == "[workspace]"))
                .unwrap_or(false);
            if !is_workspace {
                continue;
            }
            for labs_dir in [dir.join("exercises"), dir.to_path_buf()] {
                if !numbers_in(&labs_dir).is_empty() {
                    return Ok(Course {
                        root: dir.to_path_buf(),
                        labs_dir,
                    });
                }
            }
        }
        Err(format!(
            "не нашёл лабораторных (каталогов labNN с Cargo.toml) выше {}: \
             запустите команду внутри курса или раздачи",
            start.display()
        ))
    }

    /// Номера лабораторных по порядку.
    pub fn labs(&self) -> Vec<u32> {
        numbers_in(&self.labs_dir)
    }

    /// Каталог лабораторной `n`.
    pub fn lab_dir(&self, n: u32) -> PathBuf {
        self.labs_dir.join(lab_name(n))
    }
}

/// `lab01` для 1.
pub fn lab_name(n: u32) -> String {
    format!("lab{n:02}")
}

fn numbers_in(dir: &Path) -> Vec<u32> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut numbers: Vec<u32> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let digits = name.strip_prefix("lab")?.to_string();
            (digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect();
    numbers.sort_unstable();
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(root: &Path, rel: &str) {
        fs::create_dir_all(root.join(rel)).unwrap();
        fs::write(root.join(rel).join("Cargo.toml"), "[package]\n").unwrap();
    }

    #[test]
    fn finds_the_labs_of_the_course_and_of_a_handout() {
        let tmp = tempfile::tempdir().unwrap();
        let course = tmp.path().join("course");
        fs::create_dir_all(&course).unwrap();
        fs::write(course.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        lab(&course, "exercises/lab02");
        lab(&course, "exercises/lab01");
        lab(&course, "exercises/lab-cli");
        let found = Course::find(&course.join("exercises/lab02")).unwrap();
        assert_eq!(found.root, course);
        assert_eq!(found.labs(), [1, 2]);

        let handout = tmp.path().join("handout");
        fs::create_dir_all(&handout).unwrap();
        fs::write(handout.join("Cargo.toml"), "[workspace]\n").unwrap();
        lab(&handout, "lab03");
        let found = Course::find(&handout).unwrap();
        assert_eq!(found.labs_dir, handout);
        assert_eq!(found.lab_dir(3), handout.join("lab03"));

        let err = Course::find(tmp.path()).unwrap_err();
        assert!(err.contains("не нашёл"), "{err}");
    }
}
