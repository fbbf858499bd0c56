//! What machine a measurement was taken on, and how busy it was.
//!
//! Times mean little without the CPU they ran on, and on a shared machine
//! they mean little without the load: two threads of a matrix product stall
//! whenever another process holds one of the two cores.

use std::fs;

/// The processor and its load when asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// The CPU's model name (`/proc/cpuinfo`), or `"unknown CPU"`.
    pub cpu: String,
    /// Logical CPUs this process may use.
    pub cpus: usize,
    /// The 1-minute load average (`/proc/loadavg`), where the system has one.
    pub load_1min: Option<f64>,
}

impl Machine {
    /// Reads the machine's description now.
    pub fn now() -> Self {
        Self {
            cpu: fs::read_to_string("/proc/cpuinfo")
                .ok()
                .and_then(|text| cpu_model(&text))
                .unwrap_or_else(|| "unknown CPU".to_owned()),
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            load_1min: load_average(),
        }
    }

    /// One line: `Intel(R) Xeon(R) Processor, 2 CPUs, load 0.12`.
    pub fn describe(&self) -> String {
        let load = self
            .load_1min
            .map_or_else(|| "load unknown".to_owned(), |l| format!("load {l:.2}"));
        format!("{}, {} CPUs, {load}", self.cpu, self.cpus)
    }
}

/// The 1-minute load average, if `/proc/loadavg` exists.
pub fn load_average() -> Option<f64> {
    parse_loadavg(&fs::read_to_string("/proc/loadavg").ok()?)
}

/// The first `model name` in the text of `/proc/cpuinfo`.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_owned())
    })
}

/// The first field of `/proc/loadavg` (`"0.52 0.58 0.59 1/467 12345"`).
fn parse_loadavg(text: &str) -> Option<f64> {
    text.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_name_is_read_from_cpuinfo() {
        let text = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t: fpu\n";
        assert_eq!(
            cpu_model(text).as_deref(),
            Some("Intel(R) Xeon(R) Processor")
        );
        assert_eq!(cpu_model("processor : 0\n"), None);
    }

    #[test]
    fn the_load_is_the_first_field() {
        assert_eq!(parse_loadavg("2.27 1.84 1.53 3/120 999\n"), Some(2.27));
        assert_eq!(parse_loadavg(""), None);
        assert_eq!(parse_loadavg("busy"), None);
    }

    #[test]
    fn describe_names_cpu_count_and_load() {
        let m = Machine {
            cpu: "X".into(),
            cpus: 2,
            load_1min: Some(0.5),
        };
        assert_eq!(m.describe(), "X, 2 CPUs, load 0.50");
        let m = Machine {
            load_1min: None,
            ..m
        };
        assert_eq!(m.describe(), "X, 2 CPUs, load unknown");
    }
}
