//! `flowspec encrypt`, `decrypt` and `age-keygen`: sops files with age,
//! with sops' own flags.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use flowspec::secrets::{self, DecryptOptions, EncryptOptions, EncryptionRule, Identities};
use flowspec::Format;

/// Which values of a document to encrypt (at most one, as in sops).
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct RuleArgs {
    /// Encrypt only values under keys ending in this suffix (Estuary uses `_sops`).
    #[arg(long, value_name = "SUFFIX")]
    encrypted_suffix: Option<String>,
    /// Encrypt every value except those under keys ending in this suffix.
    #[arg(long, value_name = "SUFFIX")]
    unencrypted_suffix: Option<String>,
    /// Encrypt only values under keys matching this regular expression.
    #[arg(long, value_name = "REGEX")]
    encrypted_regex: Option<String>,
    /// Encrypt every value except those under keys matching this regular expression.
    #[arg(long, value_name = "REGEX")]
    unencrypted_regex: Option<String>,
}

impl RuleArgs {
    fn rule(self) -> Option<EncryptionRule> {
        let RuleArgs {
            encrypted_suffix,
            unencrypted_suffix,
            encrypted_regex,
            unencrypted_regex,
        } = self;
        encrypted_suffix
            .map(EncryptionRule::EncryptedSuffix)
            .or(unencrypted_suffix.map(EncryptionRule::UnencryptedSuffix))
            .or(encrypted_regex.map(EncryptionRule::EncryptedRegex))
            .or(unencrypted_regex.map(EncryptionRule::UnencryptedRegex))
    }
}

/// Arguments of `flowspec encrypt`.
#[derive(Debug, Args)]
pub struct EncryptArgs {
    /// age recipients, comma-separated (else `SOPS_AGE_RECIPIENTS`, else `.sops.yaml`).
    #[arg(long, value_name = "R1,R2")]
    age: Option<String>,
    #[command(flatten)]
    rule: RuleArgs,
    /// Hash only encrypted values into the MAC, so plaintext values stay editable.
    #[arg(long)]
    mac_only_encrypted: bool,
    /// The file's format, json or yaml (default: from its extension).
    #[arg(long, value_name = "json|yaml")]
    input_type: Option<Format>,
    /// Replace the file with its encrypted form (atomically) instead of printing it.
    #[arg(long, short = 'i')]
    in_place: bool,
    /// The JSON or YAML file to encrypt.
    file: PathBuf,
}

/// Arguments of `flowspec decrypt`. Identities are those of `--key-file`,
/// else those sops finds (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`,
/// `SOPS_AGE_KEY_CMD`, the default key file), as the bindings choose them.
#[derive(Debug, Args)]
pub struct DecryptArgs {
    /// A file of age secret keys to decrypt with, instead of those sops
    /// finds (repeat for several). Key text is taken only from a file or
    /// `SOPS_AGE_KEY`, never from the command line, which other users of
    /// the machine can see.
    #[arg(long, value_name = "FILE")]
    key_file: Vec<PathBuf>,
    /// Trim one trailing copy of the file's `encrypted_suffix` from every key, as Estuary does.
    #[arg(long)]
    strip_suffix: bool,
    /// The file's format, json or yaml (default: from its extension).
    #[arg(long, value_name = "json|yaml")]
    input_type: Option<Format>,
    /// The sops file to decrypt.
    file: PathBuf,
}

/// Arguments of `flowspec age-keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the identity (default: sops' keys.txt under the user config directory).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace an existing identity file.
    #[arg(long)]
    force: bool,
}

/// Encrypts a file; returns the text to print, or replaces the file with
/// `--in-place` (and returns nothing to print).
pub fn encrypt(args: EncryptArgs) -> flowspec::Result<String> {
    let format = args.input_type;
    let mut options = EncryptOptions::new().mac_only_encrypted(args.mac_only_encrypted);
    if let Some(age) = &args.age {
        options.recipients = secrets::split_recipients(age);
    }
    options.rule = args.rule.rule();
    let cwd = std::env::current_dir().map_err(|source| flowspec::Error::Io {
        path: ".".into(),
        source,
    })?;
    let options = options.resolve(&args.file, &cwd)?;
    let text = secrets::encrypt_file(&args.file, format, &options, args.in_place)?;
    Ok(if args.in_place { String::new() } else { text })
}

/// Decrypts a file; returns its plaintext.
pub fn decrypt(args: DecryptArgs) -> flowspec::Result<String> {
    let format = args.input_type;
    let identities = if args.key_file.is_empty() {
        Identities::discover()?
    } else {
        let mut given = Identities::new();
        for file in &args.key_file {
            given.extend(Identities::given_or_discovered(None, Some(file))?);
        }
        given
    };
    let options = DecryptOptions::new().strip_encrypted_suffix(args.strip_suffix);
    let plain = secrets::decrypt_file(&args.file, format, &identities, &options)?;
    let format = Format::resolve(&args.file, format)?;
    Ok(secrets::render_document(&plain, format))
}

/// Writes a new identity file (mode 0600); returns its recipient's line to print.
pub fn keygen(args: KeygenArgs) -> flowspec::Result<String> {
    let path = match args.output {
        Some(p) => p,
        None => secrets::default_key_file().ok_or_else(|| {
            flowspec::Error::invalid_spec(
                "age-keygen",
                "no user config directory (set XDG_CONFIG_HOME or HOME), so give --output",
            )
        })?,
    };
    let recipient = secrets::write_identity_file(&path, args.force)?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote an age identity to {} (readable only by you); its public key is on stdout",
        display(&path)
    );
    Ok(format!("{recipient}\n"))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
