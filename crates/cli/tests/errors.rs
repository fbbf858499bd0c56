//! Every invalid option is one clear line on stderr and an exit code: 2 for
//! the command line, 1 for what went wrong while running. No panic, no
//! backtrace, nothing half-written on stdout.

mod common;

use common::nn;

/// (arguments, exit code, text the one line must contain)
const CASES: &[(&[&str], i32, &str)] = &[
    // unknown names list the known ones
    (
        &["train", "--activation", "softplus"],
        2,
        "known activations: sigmoid, tanh, relu, leaky_relu, elu, gelu",
    ),
    (
        &["train", "--loss", "hinge"],
        2,
        "known losses: mse, mae, huber, bce, ce",
    ),
    (
        &["train", "--optimizer", "adagrad"],
        2,
        "expected one of sgd, momentum, nesterov, rmsprop, adam, adamw",
    ),
    (
        &["train", "--schedule", "fancy"],
        2,
        "possible values: warmup-cosine, cosine, step, cyclic, constant",
    ),
    (
        &["train", "--init", "magic"],
        2,
        "known: uniform, uniform(a), xavier, he",
    ),
    (
        &["train", "--head", "tanh"],
        2,
        "known: sigmoid, softmax, identity",
    ),
    // the learning rate
    (
        &["train", "--lr", "-1"],
        2,
        "invalid --lr -1: the learning rate η must be a finite number > 0",
    ),
    (&["train", "--lr", "0"], 2, "invalid --lr 0"),
    (
        &["train", "--lr", "abc"],
        2,
        "invalid value 'abc' for '--lr <ETA>'",
    ),
    (&["lr-find", "--start-lr", "0"], 2, "invalid --start-lr 0"),
    (
        &["lr-find", "--start-lr", "1", "--end-lr", "0.1"],
        2,
        "must end above --start-lr",
    ),
    // counts and sizes
    (
        &["train", "--batch-size", "0"],
        2,
        "invalid --batch-size 0: the batch size must be at least 1",
    ),
    (&["train", "--epochs", "-3"], 2, "invalid --epochs -3"),
    (&["train", "--hidden", "12a"], 2, "invalid --hidden \"12a\""),
    (
        &["train", "--hidden", "64,0"],
        2,
        "a hidden layer of width 0 has no units",
    ),
    (&["train", "--patience", "0"], 2, "invalid --patience 0"),
    // the split
    (
        &["train", "--split", "0.7,0.2,0.2"],
        2,
        "they add up to 1.1",
    ),
    (&["train", "--split", "0.5,0.5"], 2, "2 numbers given"),
    (
        &["train", "--split", "0,0.5,0.5"],
        2,
        "the training fraction must be above 0",
    ),
    (
        &["train", "--patience", "3", "--split", "1,0,0"],
        2,
        "--patience needs a validation part",
    ),
    // hyperparameters of the optimizer and the schedule
    (
        &["train", "--beta1", "1.5"],
        2,
        "invalid --beta1 1.5: adam's beta1 must be",
    ),
    (
        &["train", "--optimizer", "sgd", "--momentum", "0.9"],
        2,
        "--momentum does not apply to sgd",
    ),
    (
        &["train", "--optimizer", "momentum", "--momentum", "1"],
        2,
        "invalid --momentum 1",
    ),
    (
        &["train", "--weight-decay", "0.1"],
        2,
        "--weight-decay does not apply to adam",
    ),
    (
        &["train", "--schedule", "step", "--gamma", "2"],
        2,
        "invalid --gamma 2",
    ),
    (
        &["train", "--epochs", "2", "--warmup-epochs", "5"],
        2,
        "the warmup must end before the last epoch",
    ),
    (&["train", "--min-lr", "1"], 2, "invalid --min-lr 1"),
    // a loss that does not fit the head
    (
        &["train", "--loss", "mse"],
        2,
        "the softmax head cannot be trained with the mse loss",
    ),
    // clap's own errors, folded onto one line
    (
        &["train", "--frobnicate"],
        2,
        "unexpected argument '--frobnicate' found",
    ),
    (
        &["eval"],
        2,
        "required arguments were not provided: <MODEL>",
    ),
    (&["dance"], 2, "unrecognized subcommand 'dance'"),
    // missing files are runtime errors
    (
        &["train", "--data", "missing.csv"],
        1,
        "no data set or file named \"missing.csv\": --data takes a built-in name (digits, iris",
    ),
    (
        &["eval", "no/such/model.safetensors", "--data", "iris"],
        1,
        "no/such/model.safetensors",
    ),
    (&["resume", "no/such/dir"], 1, "no run in no/such/dir"),
];

#[test]
fn each_invalid_option_is_one_line_with_its_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, code, message) in CASES {
        let run = nn(tmp.path(), args);
        assert_eq!(run.code, Some(*code), "nn {args:?}: {}", run.stderr);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "nn {args:?} printed {} lines:\n{}",
            lines.len(),
            run.stderr
        );
        assert!(lines[0].starts_with("error: "), "nn {args:?}: {}", lines[0]);
        assert!(
            lines[0].contains(message),
            "nn {args:?}: expected {message:?} in\n{}",
            lines[0]
        );
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("backtrace"));
        assert!(
            run.stdout.is_empty() || *code == 1,
            "nn {args:?} printed:\n{}",
            run.stdout
        );
    }
    // nothing was trained, so nothing was written
    assert!(!tmp.path().join("runs").exists());
}

#[test]
fn evaluating_on_data_of_another_width_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    common::nn_ok(
        tmp.path(),
        &["train", "--data", "iris", "--epochs", "1", "--out", "iris"],
    );
    let run = nn(tmp.path(), &["eval", "iris", "--data", "digits"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr.trim(),
        "error: iris/model.safetensors takes 4 inputs, but digits has 64 features"
    );
}

#[test]
fn a_malformed_csv_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bad.csv"), "x,y,label\n1,2,a\n3,oops,b\n").unwrap();
    let run = nn(tmp.path(), &["train", "--data", "bad.csv"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("bad.csv, line 3, column 1 (\"y\"): expected a number but found \"oops\""),
        "{}",
        run.stderr
    );
}

#[test]
fn divergence_is_one_line_that_suggests_a_smaller_learning_rate() {
    let tmp = tempfile::tempdir().unwrap();
    let run = nn(
        tmp.path(),
        &[
            "train",
            "--data",
            "iris",
            "--optimizer",
            "sgd",
            "--lr",
            "1000",
            "--schedule",
            "constant",
            "--out",
            "boom",
        ],
    );
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with("error: training diverged at epoch 1"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("(learning rate 1000)"), "{}", lines[0]);
    assert!(lines[0].contains("try --lr 100 or less"), "{}", lines[0]);
}
