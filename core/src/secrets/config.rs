//! `.sops.yaml`: creation rules that pick recipients and the encryption rule by path.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::{Map, Value};

use super::recipient::{recipients_from_env, split_recipients};
use super::{EncryptOptions, EncryptionRule, SopsError};
use crate::yaml::sops as yaml;

/// The environment variable that names a config file and skips the search.
///
/// ```
/// assert_eq!(flowspec::secrets::CONFIG_ENV, "SOPS_CONFIG");
/// ```
pub const CONFIG_ENV: &str = "SOPS_CONFIG";

/// The file name sops looks for.
///
/// ```
/// assert_eq!(flowspec::secrets::CONFIG_FILE_NAME, ".sops.yaml");
/// ```
pub const CONFIG_FILE_NAME: &str = ".sops.yaml";

/// How many directories sops climbs looking for [`CONFIG_FILE_NAME`].
const MAX_DEPTH: usize = 100;

/// Key types a creation rule may name that flowspec cannot use.
const OTHER_KEY_TYPES: [&str; 6] = [
    "pgp",
    "kms",
    "gcp_kms",
    "azure_keyvault",
    "hc_vault_transit_uri",
    "hckms",
];

/// # One `creation_rules` entry of a `.sops.yaml`
///
/// ```
/// use flowspec::secrets::{CreationRule, EncryptionRule};
///
/// let rule = CreationRule {
///     path_regex: Some(r"\.sops\.yaml$".into()),
///     age: vec!["age1abc".into()],
///     rule: Some(EncryptionRule::estuary()),
///     ..CreationRule::default()
/// };
/// assert!(!rule.mac_only_encrypted);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreationRule {
    /// Go RE2 regex, searched (unanchored) in the file path relative to the config's
    /// directory. `None` matches every file.
    pub path_regex: Option<String>,
    /// age recipients (a comma-separated string or a list in the file).
    pub age: Vec<String>,
    /// The encryption rule, if the entry names one.
    pub rule: Option<EncryptionRule>,
    /// `mac_only_encrypted: true`.
    pub mac_only_encrypted: bool,
    /// Other key types the entry names (`gcp_kms`, `pgp`, ...), which flowspec cannot use.
    pub other_key_types: Vec<String>,
}

/// # A parsed `.sops.yaml`
///
/// ```
/// use flowspec::secrets::SopsConfig;
///
/// let text = r#"
/// creation_rules:
///   - path_regex: prod/.*\.yaml$
///     age: age1prod
///     encrypted_suffix: _sops
///   - age: [age1dev, age1ci]
/// "#;
/// let config = SopsConfig::parse(text, "/repo/.sops.yaml".as_ref()).unwrap();
/// let rule = config.rule_for("/repo/prod/flow.yaml".as_ref()).unwrap().unwrap();
/// assert_eq!(rule.age, ["age1prod"]);
/// let rule = config.rule_for("/repo/dev/flow.yaml".as_ref()).unwrap().unwrap();
/// assert_eq!(rule.age, ["age1dev", "age1ci"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopsConfig {
    /// The file it was read from.
    pub path: PathBuf,
    /// Its creation rules, in order; the first match wins.
    pub creation_rules: Vec<CreationRule>,
}

impl SopsConfig {
    /// Where the config is: `SOPS_CONFIG` if set, else the first `.sops.yaml` in
    /// `start_dir` or one of its parents (at most 100 levels up), else `None`.
    ///
    /// ```no_run
    /// use flowspec::secrets::SopsConfig;
    /// let path = SopsConfig::find(&std::env::current_dir().unwrap());
    /// ```
    pub fn find(start_dir: &Path) -> Option<PathBuf> {
        if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
        let start = absolute(start_dir);
        start
            .ancestors()
            .take(MAX_DEPTH + 1)
            .map(|dir| dir.join(CONFIG_FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// [`SopsConfig::find`] then [`SopsConfig::load`].
    ///
    /// ```no_run
    /// use flowspec::secrets::SopsConfig;
    /// if let Some(config) = SopsConfig::discover("catalogs/prod".as_ref()).unwrap() {
    ///     println!("{} rules in {}", config.creation_rules.len(), config.path.display());
    /// }
    /// ```
    pub fn discover(start_dir: &Path) -> Result<Option<Self>, SopsError> {
        Self::find(start_dir)
            .map(|path| Self::load(&path))
            .transpose()
    }

    /// Reads and parses a config file.
    ///
    /// ```no_run
    /// use flowspec::secrets::SopsConfig;
    /// let config = SopsConfig::load(".sops.yaml".as_ref()).unwrap();
    /// ```
    pub fn load(path: &Path) -> Result<Self, SopsError> {
        let text = std::fs::read_to_string(path).map_err(|err| SopsError::io("read", path, err))?;
        Self::parse(&text, path)
    }

    /// Parses config text; `path` is where it lives (rules match paths relative to its
    /// directory). Unknown keys are ignored, as sops does.
    ///
    /// ```
    /// use flowspec::secrets::SopsConfig;
    /// let err = SopsConfig::parse("creation_rules: {}", ".sops.yaml".as_ref()).unwrap_err();
    /// assert_eq!(err.code(), "sops_config");
    /// ```
    pub fn parse(text: &str, path: &Path) -> Result<Self, SopsError> {
        let fail = |reason: String| SopsError::Config {
            path: path.to_path_buf(),
            reason,
        };
        let document = yaml::parse(text, &format!("`{}`", path.display()))?;
        let rules = match document.get("creation_rules") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(rules)) => rules.clone(),
            Some(_) => return Err(fail("`creation_rules` must be a list".into())),
        };
        let creation_rules = rules
            .iter()
            .enumerate()
            .map(|(i, rule)| match rule {
                Value::Object(map) => creation_rule(map)
                    .map_err(|reason| fail(format!("creation_rules[{i}]: {reason}"))),
                _ => Err(fail(format!("creation_rules[{i}] must be a mapping"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SopsConfig {
            path: path.to_path_buf(),
            creation_rules,
        })
    }

    /// The first creation rule whose `path_regex` matches `file` (relative to this
    /// config's directory), or that has no `path_regex`.
    ///
    /// ```
    /// use flowspec::secrets::SopsConfig;
    /// let config = SopsConfig::parse("creation_rules:\n  - path_regex: ^a/\n    age: age1a\n",
    ///     "/r/.sops.yaml".as_ref()).unwrap();
    /// assert!(config.rule_for("/r/a/x.json".as_ref()).unwrap().is_some());
    /// assert!(config.rule_for("/r/b/a/x.json".as_ref()).unwrap().is_none());
    /// ```
    pub fn rule_for(&self, file: &Path) -> Result<Option<&CreationRule>, SopsError> {
        let config_dir = absolute(self.path.parent().unwrap_or(Path::new("")));
        let file = absolute(file);
        let relative = file.strip_prefix(&config_dir).unwrap_or(&file);
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let shown = if file.starts_with(&config_dir) {
            relative
        } else {
            file.display().to_string()
        };
        for rule in &self.creation_rules {
            let Some(pattern) = &rule.path_regex else {
                return Ok(Some(rule));
            };
            let regex = Regex::new(pattern).map_err(|err| SopsError::InvalidRegex {
                rule: format!("path_regex in {}", self.path.display()),
                pattern: pattern.clone(),
                reason: err.to_string(),
            })?;
            if regex.is_match(&shown) {
                return Ok(Some(rule));
            }
        }
        Ok(None)
    }
}

impl EncryptOptions {
    /// Fills what these options leave open the way sops does: recipients from
    /// `SOPS_AGE_RECIPIENTS`, else from the first `.sops.yaml` creation rule matching
    /// `file` (the config is searched from `search_from` upward, or named by
    /// `SOPS_CONFIG`); the rule and `mac_only_encrypted` from that creation rule. What is
    /// set explicitly wins.
    ///
    /// ```no_run
    /// use flowspec::secrets::EncryptOptions;
    /// let cwd = std::env::current_dir().unwrap();
    /// let options = EncryptOptions::estuary().resolve("flow.yaml".as_ref(), &cwd).unwrap();
    /// ```
    pub fn resolve(&self, file: &Path, search_from: &Path) -> Result<EncryptOptions, SopsError> {
        let mut out = self.clone();
        if out.recipients.is_empty() {
            out.recipients = recipients_from_env();
        }
        let Some(config) = SopsConfig::discover(search_from)? else {
            return Ok(out);
        };
        let Some(rule) = config.rule_for(file)? else {
            return Ok(out);
        };
        if out.recipients.is_empty() {
            if !rule.other_key_types.is_empty() {
                return Err(SopsError::Config {
                    path: config.path.clone(),
                    reason: format!(
                        "the creation rule for `{}` also asks for {} keys, which flowspec cannot \
                         add; pass age recipients explicitly",
                        file.display(),
                        rule.other_key_types.join(", ")
                    ),
                });
            }
            out.recipients = rule.age.clone();
        }
        if out.rule.is_none() {
            out.rule = rule.rule.clone();
        }
        out.mac_only_encrypted |= rule.mac_only_encrypted;
        Ok(out)
    }
}

fn creation_rule(map: &Map<String, Value>) -> Result<CreationRule, String> {
    let path_regex = match map.get("path_regex") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("`path_regex` must be a string".into()),
    };
    let mut age = recipients(map.get("age"), "age")?;
    let mut other_key_types: Vec<String> = OTHER_KEY_TYPES
        .iter()
        .filter(|key| match map.get(**key) {
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(Value::Array(list)) => !list.is_empty(),
            _ => false,
        })
        .map(|key| (*key).to_string())
        .collect();
    match map.get("key_groups") {
        None | Some(Value::Null) => {}
        Some(Value::Array(groups)) if groups.len() > 1 => {
            return Err(format!(
                "{} key_groups (Shamir secret sharing) are not supported",
                groups.len()
            ))
        }
        Some(Value::Array(groups)) => {
            for group in groups {
                let Value::Object(group) = group else {
                    return Err("each of `key_groups` must be a mapping".into());
                };
                age.extend(recipients(group.get("age"), "key_groups[0].age")?);
                for key in OTHER_KEY_TYPES {
                    if matches!(group.get(key), Some(Value::Array(l)) if !l.is_empty()) {
                        other_key_types.push(key.to_string());
                    }
                }
            }
        }
        Some(_) => return Err("`key_groups` must be a list".into()),
    }
    let mut rules = Vec::new();
    for key in EncryptionRule::KEYS {
        match map.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(Value::String(s)) => rules.push((key, s.clone())),
            Some(_) => return Err(format!("`{key}` must be a string")),
        }
    }
    let rule = match rules.as_slice() {
        [] => None,
        [(key, value)] => Some(
            EncryptionRule::from_key(key, value)
                .ok_or_else(|| format!("`{key}` is not supported by flowspec"))?,
        ),
        _ => {
            let keys: Vec<&str> = rules.iter().map(|(k, _)| *k).collect();
            return Err(format!(
                "it sets more than one encryption rule ({})",
                keys.join(", ")
            ));
        }
    };
    let mac_only_encrypted = match map.get("mac_only_encrypted") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("`mac_only_encrypted` must be a boolean".into()),
    };
    Ok(CreationRule {
        path_regex,
        age,
        rule,
        mac_only_encrypted,
        other_key_types,
    })
}

/// `age:` as a comma-separated string or a list of strings.
fn recipients(value: Option<&Value>, field: &str) -> Result<Vec<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(split_recipients(s)),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(split_recipients(s)),
                _ => Err(format!("`{field}` must list strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|lists| lists.concat()),
        Some(_) => Err(format!("`{field}` must be a string or a list")),
    }
}

/// The absolute, lexically normalised form of a path (like Go's `filepath.Abs`), without
/// touching the file system.
fn absolute(path: &Path) -> PathBuf {
    crate::paths::absolute(path).unwrap_or_else(|_| Path::new("/").join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
creation_rules:
  - path_regex: \.prod\.yaml$
    key_groups:
      - age: [age1group]
    mac_only_encrypted: true
    encrypted_regex: ^(password|token)$
  - path_regex: secrets/
    age: "age1a, age1b"
  - age:
      - age1c
"#;

    #[test]
    fn first_matching_rule_wins() {
        let config = SopsConfig::parse(TEXT, Path::new("/repo/.sops.yaml")).unwrap();
        let cases = [
            ("/repo/x.prod.yaml", vec!["age1group"], true),
            ("/repo/secrets/x.prod.yaml", vec!["age1group"], true),
            ("/repo/secrets/x.json", vec!["age1a", "age1b"], false),
            ("/repo/other/x.json", vec!["age1c"], false),
            ("/elsewhere/secrets/x.json", vec!["age1a", "age1b"], false),
        ];
        for (file, age, mac_only) in cases {
            let rule = config.rule_for(Path::new(file)).unwrap().unwrap();
            assert_eq!(rule.age, age, "{file}");
            assert_eq!(rule.mac_only_encrypted, mac_only, "{file}");
        }
        let first = &config.creation_rules[0];
        assert_eq!(
            first.rule,
            Some(EncryptionRule::EncryptedRegex("^(password|token)$".into()))
        );
        assert_eq!(config.creation_rules[2].path_regex, None);
    }

    #[test]
    fn relative_paths_are_relative_to_the_config() {
        let config = SopsConfig::parse(
            "creation_rules:\n  - path_regex: ^secrets/\n    age: age1s\n",
            Path::new("/repo/.sops.yaml"),
        )
        .unwrap();
        assert!(config
            .rule_for(Path::new("/repo/secrets/a.json"))
            .unwrap()
            .is_some());
        assert!(config
            .rule_for(Path::new("/repo/x/../secrets/a.json"))
            .unwrap()
            .is_some());
        assert!(config
            .rule_for(Path::new("/repo/app/secrets/a.json"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn rejects_what_it_cannot_honour() {
        let cases = [
            ("creation_rules:\n  - age: 5\n", "`age` must be a string or a list"),
            (
                "creation_rules:\n  - age: a\n    encrypted_suffix: _s\n    unencrypted_suffix: _u\n",
                "more than one encryption rule (unencrypted_suffix, encrypted_suffix)",
            ),
            (
                "creation_rules:\n  - key_groups: [{age: [a]}, {age: [b]}]\n",
                "2 key_groups",
            ),
            (
                "creation_rules:\n  - age: a\n    encrypted_comment_regex: x\n",
                "`encrypted_comment_regex` is not supported",
            ),
            ("creation_rules:\n  - just a string\n", "creation_rules[0] must be a mapping"),
        ];
        for (text, expected) in cases {
            let err = SopsConfig::parse(text, Path::new(".sops.yaml")).unwrap_err();
            assert!(err.to_string().contains(expected), "{text}: {err}");
        }
        let bad_regex = SopsConfig::parse(
            "creation_rules:\n  - path_regex: '('\n",
            Path::new("/r/.sops.yaml"),
        )
        .unwrap();
        assert_eq!(
            bad_regex.rule_for(Path::new("/r/a")).unwrap_err().code(),
            "sops_invalid_regex"
        );
    }

    #[test]
    fn notes_other_key_types() {
        let config = SopsConfig::parse(
            "creation_rules:\n  - gcp_kms: projects/p/locations/l/keyRings/r/cryptoKeys/k\n    age: age1x\n",
            Path::new("/r/.sops.yaml"),
        )
        .unwrap();
        assert_eq!(config.creation_rules[0].other_key_types, ["gcp_kms"]);
        assert_eq!(config.creation_rules[0].age, ["age1x"]);
    }

    #[test]
    fn absolute_is_lexical() {
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert!(absolute(Path::new("x")).is_absolute());
    }
}
