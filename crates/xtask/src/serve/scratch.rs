//! The one scratch crate every snippet is compiled in
//! (`<target>/serve/scratch/`), and its one warm target directory: the
//! workspace's own, so what `cargo test -p book` has compiled is not
//! compiled again.
//!
//! Its dependencies are the book crate's `[dev-dependencies]` — the crates a
//! doctest of `cargo test -p book` sees — plus the book crate itself, with
//! the versions of the workspace's `Cargo.lock` and the workspace's build
//! profiles (the course crates at the workspace members' opt-level), read
//! afresh at every start so they never drift apart.

use crate::Result;
use std::fs::File;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The package name of the scratch crate (and of its binary).
pub const NAME: &str = "snippet";

/// A lock on `<target>/serve/` held while the server runs: two servers
/// would write the same `src/main.rs`.
pub fn lock(dir: &Path) -> Result<File> {
    let file = File::create(dir.join("lock"))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another `cargo xtask serve` is running with {} (stop it first)",
            dir.display()
        )
        .into()),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// The scratch crate on disk.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// The crate (`Cargo.toml`, `src/main.rs`).
    pub dir: PathBuf,
    /// Its target directory, kept warm between runs.
    pub target: PathBuf,
    /// The empty directory each run starts in (an SVG it writes lands here).
    pub run_dir: PathBuf,
    /// The crates a snippet may use.
    pub crates: Vec<String>,
}

impl Scratch {
    /// Writes the scratch crate for the workspace in `root` under `dir`; it
    /// builds into `target`.
    pub fn create(root: &Path, dir: &Path, target: &Path) -> Result<Scratch> {
        let crate_dir = dir.join("scratch");
        std::fs::create_dir_all(crate_dir.join("src"))?;
        let (manifest, crates) = manifest(root)?;
        write_if_changed(&crate_dir.join("Cargo.toml"), &manifest)?;
        // The workspace's versions, so a snippet builds against exactly the
        // dependencies `cargo test -p book` uses (cargo drops the unused ones).
        if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
            write_if_changed(&crate_dir.join("Cargo.lock"), &lock)?;
        }
        Ok(Scratch {
            dir: crate_dir,
            target: target.to_path_buf(),
            run_dir: dir.join("run"),
            crates,
        })
    }

    /// The compiled snippet.
    pub fn binary(&self) -> PathBuf {
        self.target.join("debug").join(NAME)
    }
}

/// Rewrites `path` only when its text changes (cargo then keeps its
/// fingerprints and the next build stays warm).
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text)
}

fn read_toml(path: &Path) -> Result<Table> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .parse::<Table>()
        .map_err(|e| format!("{}: {e}", path.display()))?)
}

/// The scratch crate's `Cargo.toml` and the names of its dependencies.
pub fn manifest(root: &Path) -> Result<(String, Vec<String>)> {
    let workspace = read_toml(&root.join("Cargo.toml"))?;
    let book = read_toml(&root.join("book/Cargo.toml"))?;
    let shared = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    let edition = workspace
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("edition"))
        .cloned()
        .unwrap_or_else(|| Value::from("2024"));

    let mut deps = Table::new();
    let dev = book
        .get("dev-dependencies")
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    for (name, spec) in dev {
        deps.insert(
            name.clone(),
            resolve(&name, &spec, &shared, root, &root.join("book"))?,
        );
    }
    // rustdoc links every doctest against the crate under test.
    let mut book_dep = Table::new();
    book_dep.insert("path".into(), path_value(&root.join("book")));
    deps.insert("book".into(), Value::Table(book_dep));
    let crates: Vec<String> = deps.keys().cloned().collect();

    let mut package = Table::new();
    package.insert("name".into(), NAME.into());
    package.insert("version".into(), "0.0.0".into());
    package.insert("edition".into(), edition);
    package.insert("publish".into(), false.into());
    let mut out = Table::new();
    out.insert("package".into(), Value::Table(package));
    out.insert("dependencies".into(), Value::Table(deps.clone()));
    // Its own workspace: it lives under the course's directory but is no
    // member of the course's workspace.
    out.insert("workspace".into(), Value::Table(Table::new()));
    if let Some(Value::Table(profiles)) = workspace.get("profile") {
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
        let used = dependency_closure(&lock, &crates);
        let mut profiles = profiles_for(profiles, &used);
        members_as_in_the_workspace(&mut profiles, &deps);
        out.insert("profile".into(), Value::Table(profiles));
    }
    let text = format!(
        "# Written by `cargo xtask serve` at every start from book/Cargo.toml and the\n# workspace's Cargo.toml: the crates a doctest of the book sees. Do not edit.\n{}",
        toml::to_string(&out)?
    );
    Ok((text, crates))
}

/// Every package reachable from `roots` in the workspace's `Cargo.lock`.
fn dependency_closure(lock: &str, roots: &[String]) -> std::collections::BTreeSet<String> {
    let mut edges: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    if let Ok(parsed) = lock.parse::<Table>()
        && let Some(Value::Array(packages)) = parsed.get("package")
    {
        for package in packages {
            let Some(name) = package.get("name").and_then(Value::as_str) else {
                continue;
            };
            let deps = package.get("dependencies").and_then(Value::as_array);
            let names = deps.into_iter().flatten().filter_map(Value::as_str);
            // an entry is "name" or "name version"
            let names = names.map(|d| d.split(' ').next().unwrap_or(d).to_owned());
            edges.entry(name.to_owned()).or_default().extend(names);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<String> = roots.to_vec();
    while let Some(name) = stack.pop() {
        if seen.insert(name.clone()) {
            stack.extend(edges.get(&name).into_iter().flatten().cloned());
        }
    }
    seen
}

/// The workspace's profiles without the per-package entries for packages
/// the snippet never builds (cargo would warn about each).
fn profiles_for(profiles: &Table, used: &std::collections::BTreeSet<String>) -> Table {
    let mut out = profiles.clone();
    for (_, profile) in out.iter_mut() {
        if let Some(Value::Table(packages)) = profile.get_mut("package") {
            packages.retain(|spec, _| spec == "*" || used.contains(spec));
        }
    }
    out
}

/// In the workspace the course crates are members, which `package."*"`
/// does not reach; here they are dependencies, which it would. Each gets the
/// dev profile's own opt-level back, so it compiles exactly as for the
/// doctests (and cargo reuses that build).
fn members_as_in_the_workspace(profiles: &mut Table, deps: &Table) {
    let dev = profiles
        .entry("dev")
        .or_insert_with(|| Value::Table(Table::new()));
    let Value::Table(dev) = dev else { return };
    let opt_level = dev.get("opt-level").cloned().unwrap_or(Value::Integer(0));
    let packages = dev
        .entry("package")
        .or_insert_with(|| Value::Table(Table::new()));
    let Value::Table(packages) = packages else {
        return;
    };
    for (name, spec) in deps {
        if spec.get("path").is_some() {
            let mut own = Table::new();
            own.insert("opt-level".into(), opt_level.clone());
            packages.insert(name.clone(), Value::Table(own));
        }
    }
}

fn path_value(path: &Path) -> Value {
    Value::from(path.to_string_lossy().into_owned())
}

/// One dependency of the book crate, spelled out for a crate outside the
/// workspace: `x.workspace = true` becomes the workspace's entry (its
/// features joined), relative paths become absolute.
fn resolve(name: &str, spec: &Value, shared: &Table, root: &Path, member: &Path) -> Result<Value> {
    let mut entry = match spec {
        Value::String(version) => {
            let mut t = Table::new();
            t.insert("version".into(), Value::from(version.clone()));
            t
        }
        Value::Table(t) => t.clone(),
        other => return Err(format!("book/Cargo.toml: dependency `{name}` = {other}").into()),
    };
    let mut base = member;
    if entry.remove("workspace").and_then(|v| v.as_bool()) == Some(true) {
        let from = shared.get(name).ok_or_else(|| {
            format!("book/Cargo.toml: `{name}.workspace = true`, but the workspace has no `{name}`")
        })?;
        let mut merged = match from {
            Value::String(version) => {
                let mut t = Table::new();
                t.insert("version".into(), Value::from(version.clone()));
                t
            }
            Value::Table(t) => t.clone(),
            other => {
                return Err(format!("Cargo.toml: workspace dependency `{name}` = {other}").into());
            }
        };
        if let Some(Value::Array(extra)) = entry.remove("features") {
            let features = merged
                .entry("features")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = features {
                list.extend(extra);
            }
        }
        merged.extend(entry);
        entry = merged;
        base = root;
    }
    if let Some(Value::String(path)) = entry.get("path") {
        let absolute = base.join(path);
        entry.insert("path".into(), path_value(&absolute));
    }
    Ok(Value::Table(entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_holds_the_books_dev_dependencies_with_absolute_paths() {
        let root = crate::workspace_root();
        let (text, crates) = manifest(&root).unwrap();
        let parsed: Table = text.parse().unwrap();
        let deps = parsed["dependencies"].as_table().unwrap();
        for name in ["activations", "mlp", "ndarray", "book"] {
            assert!(
                crates.contains(&name.to_owned()),
                "{name} missing: {crates:?}"
            );
        }
        let mlp = deps["mlp"]["path"].as_str().unwrap();
        assert!(Path::new(mlp).is_absolute() && Path::new(mlp).join("Cargo.toml").is_file());
        // ndarray keeps the workspace's version and features
        assert_eq!(deps["ndarray"]["version"].as_str(), Some("0.17.2"));
        assert!(deps["ndarray"]["features"].as_array().unwrap().len() >= 2);
        assert!(parsed["workspace"].as_table().unwrap().is_empty());
        let packages = &parsed["profile"]["dev"]["package"];
        assert_eq!(packages["*"]["opt-level"].as_integer(), Some(3));
        // the course crates compile as the workspace's members do
        assert_eq!(packages["mlp"]["opt-level"].as_integer(), Some(0));
        assert_eq!(packages["book"]["opt-level"].as_integer(), Some(0));
        assert!(packages.get("ndarray").is_none());
    }

    #[test]
    fn profiles_keep_only_packages_the_snippet_builds() {
        let lock = "[[package]]\nname = \"mlp\"\ndependencies = [\"serde\", \"rand 0.10.4\"]\n[[package]]\nname = \"serde\"\ndependencies = [\"serde_derive\"]\n[[package]]\nname = \"clap\"\ndependencies = [\"clap_derive\"]\n";
        let used = dependency_closure(lock, &["mlp".to_owned()]);
        assert_eq!(
            used.into_iter().collect::<Vec<_>>(),
            ["mlp", "rand", "serde", "serde_derive"]
        );
        let profiles: Table = toml::toml! {
            [dev.package."*"]
            opt-level = 3
            [dev.package.serde_derive]
            opt-level = 0
            [dev.package.clap_derive]
            opt-level = 0
        };
        let kept = profiles_for(&profiles, &dependency_closure(lock, &["mlp".to_owned()]));
        let packages = kept["dev"]["package"].as_table().unwrap();
        assert_eq!(packages.keys().collect::<Vec<_>>(), ["*", "serde_derive"]);
    }

    #[test]
    fn a_member_feature_joins_the_workspace_ones() {
        let mut shared = Table::new();
        shared.insert(
            "serde_json".into(),
            toml::toml! { version = "1" features = ["a"] }.into(),
        );
        let spec: Value = toml::toml! { workspace = true features = ["b"] }.into();
        let got = resolve(
            "serde_json",
            &spec,
            &shared,
            Path::new("/w"),
            Path::new("/w/book"),
        )
        .unwrap();
        assert_eq!(
            got,
            toml::toml! { version = "1" features = ["a", "b"] }.into()
        );
        let missing = resolve(
            "nope",
            &spec,
            &shared,
            Path::new("/w"),
            Path::new("/w/book"),
        );
        assert!(missing.unwrap_err().to_string().contains("no `nope`"));
    }
}
