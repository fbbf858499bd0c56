//! Models and checkpoints on disk: round trips, resuming bit for bit, and
//! every kind of damage reported as an error, never a panic.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use activations::ActivationKind;
use datasets::{self, Fractions, Split, Standardizer};
use losses::LossKind;
use mlp::{Architecture, Head, Init, Mlp};
use safetensors::SafeTensors;
use schedulers::ScheduleConfig;
use trainer::checkpoint::{Checkpoint, CheckpointError, STATE_FILE, load_model, save_model};
use trainer::{EpochRecord, Observer, Outcome, ScheduleUnit, Silent, TrainConfig, Trainer};

fn net(seed: u64) -> Mlp {
    let arch = Architecture::new([3, 4, 2], ActivationKind::Tanh, Head::Softmax).unwrap();
    Mlp::new(&arch, Init::Xavier, seed).unwrap()
}

fn scaler() -> Standardizer {
    Standardizer::new(
        ndarray::array![1.0, -2.0, 0.5],
        ndarray::array![2.0, 0.25, 1.0],
    )
    .unwrap()
}

fn bits(model: &Mlp) -> Vec<u64> {
    model.to_vec().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn a_model_file_round_trips_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    let model = net(1);
    save_model(&path, &model, Some(&scaler())).unwrap();
    let saved = load_model(&path).unwrap();
    assert_eq!(bits(&saved.model), bits(&model));
    assert_eq!(saved.model, model);
    assert_eq!(saved.scaler, Some(scaler()));
    // PyTorch's names and layout, f64, with the architecture in the header
    let bytes = fs::read(&path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut names = file.names();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "layers.0.bias",
            "layers.0.weight",
            "layers.1.bias",
            "layers.1.weight"
        ]
    );
    let w = file.tensor("layers.0.weight").unwrap();
    assert_eq!(
        (w.dtype(), w.shape()),
        (safetensors::Dtype::F64, &[4usize, 3][..])
    );
    assert_eq!(
        &w.data()[..8],
        &model.layers()[0].weight[[0, 0]].to_le_bytes()
    );
    let metadata = header_json(&bytes);
    assert_eq!(metadata["format"], "mlp-model");
    assert_eq!(metadata["format_version"], 2);
    assert_eq!(
        metadata["architecture"],
        serde_json::json!({"sizes": [3, 4, 2], "hidden": "tanh", "head": "softmax"})
    );
    // the same model saved twice: the same bytes (sorted metadata keys)
    let again = dir.path().join("again.safetensors");
    save_model(&again, &model, Some(&scaler())).unwrap();
    assert_eq!(fs::read(&again).unwrap(), bytes);
}

/// The one metadata entry of a file, parsed.
fn header_json(bytes: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let (_, header) = SafeTensors::read_metadata(bytes).unwrap();
    let metadata = header.metadata().as_ref().unwrap();
    assert_eq!(metadata.len(), 1, "{metadata:?}");
    serde_json::from_str(&metadata["mlp"]).unwrap()
}

#[test]
fn a_truncated_model_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    save_model(&path, &net(2), None).unwrap();
    let bytes = fs::read(&path).unwrap();
    for cut in [
        0,
        1,
        7,
        8,
        20,
        bytes.len() / 2,
        bytes.len() - 8,
        bytes.len() - 1,
    ] {
        fs::write(&path, &bytes[..cut]).unwrap();
        let err = load_model(&path).unwrap_err();
        assert!(
            matches!(err, CheckpointError::Format { .. }),
            "cut at {cut}: {err}"
        );
        assert!(err.to_string().contains("model.safetensors"), "{err}");
    }
}

#[test]
fn every_flipped_byte_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    save_model(&path, &net(3), Some(&scaler())).unwrap();
    let bytes = fs::read(&path).unwrap();
    for i in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0xff;
        fs::write(&path, &damaged).unwrap();
        assert!(
            load_model(&path).is_err(),
            "flipping byte {i} of {} went unnoticed",
            bytes.len()
        );
    }
    // one bit in a weight: the checksum catches what safetensors cannot
    let mut damaged = bytes.clone();
    let last = damaged.len() - 3;
    damaged[last] ^= 0x01;
    fs::write(&path, &damaged).unwrap();
    let err = load_model(&path).unwrap_err();
    assert!(
        matches!(
            err,
            CheckpointError::Checksum {
                what: "tensors and header",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("is corrupted"), "{err}");
    // an edited scaler is noticed too: the checksum covers the header
    fs::write(&path, &bytes).unwrap();
    rewrite_header_keeping_crc(&path, &[("scaler", r#"{"mean":[0,0,0],"std":[1,1,1]}"#)]);
    let err = load_model(&path).unwrap_err();
    assert!(matches!(err, CheckpointError::Checksum { .. }), "{err}");
}

/// Re-writes a model file with some header entries replaced but the old
/// checksum: an edit by hand.
fn rewrite_header_keeping_crc(path: &Path, changes: &[(&str, &str)]) {
    rewrite(path, changes, false);
}

/// Re-writes a model file with some header entries replaced (JSON values),
/// tensors kept and the checksum recomputed as the writer does: how another
/// version or a wrong architecture looks.
fn rewrite_header(path: &Path, changes: &[(&str, &str)]) {
    rewrite(path, changes, true);
}

fn rewrite(path: &Path, changes: &[(&str, &str)], fix_crc: bool) {
    let bytes = fs::read(path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut json = header_json(&bytes);
    for (key, value) in changes {
        json.insert(key.to_string(), serde_json::from_str(value).unwrap());
    }
    if fix_crc {
        json.remove("crc32");
        let mut tensors = file.tensors();
        tensors.sort_by(|a, b| a.0.cmp(&b.0));
        let mut hasher = crc32fast::Hasher::new();
        for (name, view) in &tensors {
            hasher.update(name.as_bytes());
            hasher.update(view.data());
        }
        let sorted: std::collections::BTreeMap<_, _> = json.iter().collect();
        hasher.update(serde_json::to_string(&sorted).unwrap().as_bytes());
        json.insert("crc32".into(), hasher.finalize().into());
    }
    let metadata = HashMap::from([("mlp".to_string(), serde_json::to_string(&json).unwrap())]);
    let tensors: Vec<_> = file.tensors();
    let out = safetensors::serialize(tensors, Some(metadata)).unwrap();
    fs::write(path, out).unwrap();
}

#[test]
fn wrong_versions_and_shapes_say_what_does_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    save_model(&path, &net(4), None).unwrap();
    rewrite_header(&path, &[("format_version", "1")]);
    let err = load_model(&path).unwrap_err();
    assert!(matches!(err, CheckpointError::Version { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("has format version 1, but this program reads version 2"),
        "{err}"
    );

    save_model(&path, &net(4), None).unwrap();
    rewrite_header(
        &path,
        &[(
            "architecture",
            r#"{"sizes":[3,5,2],"hidden":"tanh","head":"softmax"}"#,
        )],
    );
    let err = load_model(&path).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "tensor layers.0.weight has shape [4, 3], but the architecture (3-5-2, tanh hidden, softmax head) needs [5, 3]"
        ),
        "{err}"
    );

    save_model(&path, &net(4), None).unwrap();
    rewrite_header(
        &path,
        &[(
            "architecture",
            r#"{"sizes":[3,4],"hidden":"tanh","head":"softmax"}"#,
        )],
    );
    let err = load_model(&path).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "it holds 4 layers.* tensors, but the architecture (3-4, tanh hidden, softmax head) has 2"
        ),
        "{err}"
    );

    save_model(&path, &net(4), None).unwrap();
    rewrite_header(&path, &[("format", r#""something-else""#)]);
    let err = load_model(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains("its format is \"something-else\", expected \"mlp-model\""),
        "{err}"
    );

    let err = load_model(dir.path().join("absent.safetensors")).unwrap_err();
    assert!(err.to_string().starts_with("cannot read "), "{err}");
}

fn moons() -> Split {
    let set = datasets::two_moons(200, 0.2, 5).unwrap();
    datasets::split(&set, Fractions::new(0.7, 0.3, 0.0).unwrap(), 5).unwrap()
}

fn config() -> TrainConfig {
    TrainConfig::new(LossKind::CrossEntropyWithLogits)
        .with_epochs(6)
        .with_batch_size(16)
        .with_learning_rate(0.01)
        .with_seed(9)
        .with_early_stopping(50)
        .with_schedule(
            ScheduleConfig::LinearWarmup {
                warmup_steps: 10,
                start_factor: 0.1,
                then: Box::new(ScheduleConfig::CosineAnnealing {
                    eta_min: 1e-4,
                    eta_max: 0.01,
                    total_steps: 50,
                }),
            },
            ScheduleUnit::Batch,
        )
}

fn trainer() -> Trainer {
    let arch = Architecture::new([2, 8, 2], ActivationKind::Relu, Head::Softmax).unwrap();
    Trainer::new(Mlp::new(&arch, Init::He, 5).unwrap(), config())
        .unwrap()
        .with_scaler(
            Standardizer::new(ndarray::array![0.0, 0.0], ndarray::array![1.0, 1.0]).unwrap(),
        )
}

/// Raises the stop flag at the end of epoch `k`, as Ctrl-C might.
struct StopAtEpoch {
    k: usize,
    flag: Arc<AtomicBool>,
}

impl Observer for StopAtEpoch {
    fn on_epoch(&mut self, record: &EpochRecord) {
        if record.epoch == self.k {
            self.flag.store(true, Ordering::Relaxed);
        }
    }
}

#[test]
fn training_interrupted_after_epoch_k_and_resumed_from_disk_is_bit_identical() {
    let parts = moons();
    let mut uninterrupted = trainer();
    uninterrupted
        .fit(&parts.train, Some(&parts.validation), &mut Silent)
        .unwrap();

    for k in [1, 3] {
        let dir = tempfile::tempdir().unwrap();
        let mut first = trainer();
        let mut stop = StopAtEpoch {
            k,
            flag: first.stop_flag(),
        };
        let outcome = first
            .fit(&parts.train, Some(&parts.validation), &mut stop)
            .unwrap();
        assert_eq!(
            outcome,
            Outcome::Interrupted {
                epoch: k + 1,
                batch: 0
            }
        );
        first.save_checkpoint(dir.path()).unwrap();
        drop(first); // nothing survives but the files

        let mut resumed = Trainer::resume(dir.path()).unwrap();
        assert_eq!(resumed.progress().epoch, k);
        resumed
            .fit(&parts.train, Some(&parts.validation), &mut Silent)
            .unwrap();
        assert_eq!(
            bits(resumed.model()),
            bits(uninterrupted.model()),
            "resumed after epoch {k}"
        );
        assert_eq!(resumed.history(), uninterrupted.history());
        assert_eq!(resumed.scaler(), uninterrupted.scaler());
    }
}

#[test]
fn a_checkpoint_round_trips_and_keeps_one_weights_file() {
    let parts = moons();
    let dir = tempfile::tempdir().unwrap();
    let mut t = trainer();
    let mut stop = StopAtEpoch {
        k: 2,
        flag: t.stop_flag(),
    };
    t.fit(&parts.train, Some(&parts.validation), &mut stop)
        .unwrap();
    let saved = Checkpoint::from_trainer(&t);
    t.save_checkpoint(dir.path()).unwrap();
    assert_eq!(Checkpoint::load(dir.path()).unwrap(), saved);
    // saving again at the same point writes the other name, then removes the old file
    t.save_checkpoint(dir.path()).unwrap();
    assert_eq!(Checkpoint::load(dir.path()).unwrap(), saved);
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], STATE_FILE);
    assert!(names[1].starts_with("weights-") && names[1].ends_with(".safetensors"));
    // the state says what it is in plain JSON
    let state = fs::read_to_string(dir.path().join(STATE_FILE)).unwrap();
    for field in [
        "\"format_version\":2",
        "\"optimizer\":\"adam\"",
        "\"seed\":9",
        "\"history\"",
        "\"scaler\"",
        "\"schedule_step\":18",
    ] {
        assert!(state.contains(field), "{field} missing from {state}");
    }
    // Adam's moments are tensors of the weights file, not numbers in the JSON
    assert!(!state.contains("\"buffers\""), "{state}");
    let weights = fs::read(dir.path().join(&names[1])).unwrap();
    let file = SafeTensors::deserialize(&weights).unwrap();
    let mut moments: Vec<String> = file
        .names()
        .into_iter()
        .filter(|n| n.starts_with("optimizer."))
        .map(str::to_owned)
        .collect();
    moments.sort();
    assert_eq!(
        moments,
        [
            "optimizer.0.m",
            "optimizer.0.v",
            "optimizer.1.m",
            "optimizer.1.v",
            "optimizer.2.m",
            "optimizer.2.v",
            "optimizer.3.m",
            "optimizer.3.v"
        ]
    );
    // the same state saved twice into fresh folders: the same files, byte for byte
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    t.save_checkpoint(first.path()).unwrap();
    t.save_checkpoint(second.path()).unwrap();
    for entry in fs::read_dir(first.path()).unwrap() {
        let name = entry.unwrap().file_name();
        let same = fs::read(first.path().join(&name)).unwrap()
            == fs::read(second.path().join(&name)).unwrap();
        assert!(same, "{name:?} differs between two saves of one state");
    }
}

#[test]
fn a_crash_in_the_middle_of_saving_leaves_the_previous_checkpoint() {
    let parts = moons();
    let dir = tempfile::tempdir().unwrap();
    let mut t = trainer();
    let mut stop = StopAtEpoch {
        k: 1,
        flag: t.stop_flag(),
    };
    t.fit(&parts.train, Some(&parts.validation), &mut stop)
        .unwrap();
    t.save_checkpoint(dir.path()).unwrap();
    let before = Checkpoint::load(dir.path()).unwrap();
    // the next save got as far as the new weights and a half-written state
    // temporary file, then the machine died
    let other = tempfile::tempdir().unwrap();
    t.stop_flag().store(false, Ordering::Relaxed);
    let mut stop = StopAtEpoch {
        k: 2,
        flag: t.stop_flag(),
    };
    t.fit(&parts.train, Some(&parts.validation), &mut stop)
        .unwrap();
    t.save_checkpoint(other.path()).unwrap();
    for entry in fs::read_dir(other.path()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("weights-") {
            fs::copy(entry.path(), dir.path().join(&name)).unwrap();
        } else {
            let text = fs::read(entry.path()).unwrap();
            fs::write(
                dir.path().join(format!(".{name}.tmp")),
                &text[..text.len() / 2],
            )
            .unwrap();
        }
    }
    assert_eq!(Checkpoint::load(dir.path()).unwrap(), before);
}

#[test]
fn damaged_checkpoints_are_errors() {
    let parts = moons();
    let dir = tempfile::tempdir().unwrap();
    let mut t = trainer();
    let mut stop = StopAtEpoch {
        k: 1,
        flag: t.stop_flag(),
    };
    t.fit(&parts.train, Some(&parts.validation), &mut stop)
        .unwrap();
    let state_path = t.save_checkpoint(dir.path()).unwrap();
    let state = fs::read_to_string(&state_path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&state).unwrap();
    let weights_path = dir.path().join(json["weights_file"].as_str().unwrap());
    let weights = fs::read(&weights_path).unwrap();

    let restore = || {
        fs::write(&state_path, &state).unwrap();
        fs::write(&weights_path, &weights).unwrap();
    };
    let load_err = || Checkpoint::load(dir.path()).unwrap_err();

    // the state file: truncated, a changed number, another version
    fs::write(&state_path, &state[..state.len() / 3]).unwrap();
    let err = load_err();
    assert!(err.to_string().contains("is not JSON"), "{err}");
    let edited = state.replacen("\"epoch\":1", "\"epoch\":2", 1);
    assert_ne!(edited, state);
    fs::write(&state_path, edited).unwrap();
    assert!(matches!(
        load_err(),
        CheckpointError::Checksum { what: "state", .. }
    ));
    fs::write(
        &state_path,
        state.replacen("\"format_version\":2", "\"format_version\":7", 1),
    )
    .unwrap();
    let err = load_err();
    assert!(
        err.to_string()
            .ends_with("has format version 7, but this program reads version 2"),
        "{err}"
    );
    restore();

    // the weights file: truncated, flipped, missing, from another run
    fs::write(&weights_path, &weights[..weights.len() - 5]).unwrap();
    assert!(matches!(load_err(), CheckpointError::Format { .. }));
    let mut flipped = weights.clone();
    let at = flipped.len() - 10;
    flipped[at] ^= 0x10;
    fs::write(&weights_path, flipped).unwrap();
    assert!(matches!(load_err(), CheckpointError::Checksum { .. }));
    fs::remove_file(&weights_path).unwrap();
    assert!(matches!(load_err(), CheckpointError::Io { .. }));
    let mut another = trainer();
    let mut stop = StopAtEpoch {
        k: 2,
        flag: another.stop_flag(),
    };
    another
        .fit(&parts.train, Some(&parts.validation), &mut stop)
        .unwrap();
    let other_dir = tempfile::tempdir().unwrap();
    another.save_checkpoint(other_dir.path()).unwrap();
    let other_weights = fs::read_dir(other_dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "safetensors"))
        .unwrap();
    fs::copy(other_weights, &weights_path).unwrap();
    let err = load_err();
    assert!(matches!(err, CheckpointError::Mismatch { .. }), "{err}");
    assert!(err.to_string().contains("does not belong to"), "{err}");
    restore();
    assert!(Checkpoint::load(dir.path()).is_ok());

    let err = Checkpoint::load(dir.path().join("nowhere")).unwrap_err();
    assert!(err.to_string().starts_with("cannot read "), "{err}");
}
