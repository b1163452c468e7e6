//! Secrets: the `Secret` class that marks a value in a config, and sops
//! with age: `encrypt` / `decrypt` of documents and files, `ageKeygen`.
//!
//! A `Secret` holds its value on the Rust side; its one own property,
//! `$secret`, holds the value sealed under a key of this process
//! (`flowspec-sealed:v1:…`, see [`flowspec::secrets`]). So printouts show
//! nothing of it, while a copy made with `JSON.parse(JSON.stringify(…))` or
//! `structuredClone` is the marker `{"$secret": "flowspec-sealed:…"}`,
//! which flowspec takes as the same secret. Converted for the core it is
//! that marker ([`flowspec::secrets::SECRET_MARKER`], see
//! [`crate::convert`]), and a marker coming back becomes a `Secret` again.
//!
//! Options go to `flowspec::json_api`'s sops functions as JSON.

// napi registers free functions with Node only outside `cfg(test)`, so the
// unit-test build sees them as unused.
#![cfg_attr(test, allow(dead_code))]

use napi::bindgen_prelude::{
    AsyncTask, ClassInstance, JavaScriptClassExt, JsObjectValue, JsValue, Object, This, ToNapiValue,
};
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use crate::convert;
use crate::error::{run, Failure, Outcome};
use crate::tasks::CoreTask;

/// What every rendering of a secret shows: `<redacted>`.
const REDACTED: &str = flowspec::secrets::REDACTED;

/// A value to be encrypted when the catalog is written. Put it anywhere in
/// a connector's config: `password: secret("hunter2")` is written as
/// `password_sops: ENC[AES256_GCM,...]`, sops-encrypted for the age
/// recipients (Estuary's runtime strips the `_sops` suffix before the
/// connector sees it).
///
/// The value is kept out of sight: `console.log` and `util.inspect` show
/// `Secret(<redacted>)`, `String(s)` and template literals give
/// `<redacted>`, and `reveal()` returns it. The instance's one own
/// property, `$secret`, holds the value sealed under a key that lives only
/// in this process: a config copied with `JSON.parse(JSON.stringify(config))`
/// or `structuredClone(config)` keeps the secret (as `{"$secret":
/// "flowspec-sealed:…"}`, which flowspec takes as the same secret), and a
/// copy taken out of the process cannot be opened (an error, never a silent
/// substitute).
///
/// A secret must be the value of an object property in a config (not the
/// whole config, nor an array item). Specs read back from the catalog give
/// secrets not yet written as `Secret`s again.
///
/// ```ts
/// import { Catalog, secret } from "flowspec";
/// const cat = new Catalog();
/// cat.capture("acmeCo/source-postgres", {
///   image: "ghcr.io/estuary/source-postgres:v1",
///   config: { address: "db:5432", user: "flow", password: secret(process.env.PG_PASSWORD ?? "") },
/// });
/// console.log(secret("hunter2")); // Secret(<redacted>)
/// ```
#[napi]
pub struct Secret {
    value: Value,
}

impl Secret {
    /// The secret of the core.
    pub(crate) fn of(secret: flowspec::secrets::Secret) -> Self {
        Self {
            value: secret.expose().clone(),
        }
    }

    /// The marker object, `{"$secret": "flowspec-sealed:…"}`.
    pub(crate) fn to_marker(&self) -> Value {
        flowspec::secrets::Secret::new(self.value.clone()).to_marker()
    }

    /// The value sealed, as the `$secret` property holds it.
    pub(crate) fn sealed(&self) -> String {
        match self.to_marker() {
            Value::Object(mut map) => match map.remove(flowspec::secrets::SECRET_MARKER) {
                Some(Value::String(token)) => token,
                _ => unreachable!("a marker holds its sealed value"),
            },
            _ => unreachable!("a marker is an object"),
        }
    }

    fn from_js(env: &Env, value: Option<&Unknown>) -> Outcome<Self> {
        if value.is_none_or(|v| matches!(v.get_type(), Ok(napi::ValueType::Undefined))) {
            return Err(Failure::Type(
                "secret: the value is undefined (is an environment variable unset?)".into(),
            ));
        }
        let value = convert::from_js(env, value, "secret", "value")?;
        // A secret of a secret is that secret.
        match flowspec::secrets::Secret::from_marker(&value) {
            Some(Ok(secret)) => Ok(Self::of(secret)),
            Some(Err(message)) => Err(Failure::Core(flowspec::Error::invalid_spec(
                "secret", message,
            ))),
            None => Ok(Self { value }),
        }
    }

    /// Gives `this`, a new `Secret` object, its `$secret` property.
    fn seal_into(&self, this: &mut Object) -> napi::Result<()> {
        this.set_named_property(flowspec::secrets::SECRET_MARKER, self.sealed())
    }
}

#[napi]
impl Secret {
    /// Marks a value as secret: the same as `secret(value)`. The value is
    /// any JSON value (a string, number, boolean, or an object or array of
    /// them); `undefined` is a `TypeError`.
    ///
    /// ```ts
    /// const token = new Secret("sk_live_123");
    /// ```
    #[napi(constructor)]
    pub fn new(
        env: &Env,
        mut this: This,
        #[napi(ts_arg_type = "JsonValue")] value: Unknown,
    ) -> napi::Result<Self> {
        let secret = run(env, || Self::from_js(env, Some(&value)))?;
        secret.seal_into(&mut this)?;
        Ok(secret)
    }

    /// The secret value itself (a copy).
    ///
    /// ```ts
    /// const token = secret("sk_live_123");
    /// connect({ token: token.reveal() as string });
    /// ```
    #[napi(ts_return_type = "JsonValue")]
    pub fn reveal<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
        convert::to_js(env, &self.value)
    }

    /// `<redacted>`: what `String(s)` and template literals give.
    ///
    /// ```ts
    /// `${secret("hunter2")}`; // "<redacted>"
    /// ```
    #[napi(js_name = "toString")]
    pub fn describe(&self) -> String {
        REDACTED.to_string()
    }

    /// What `util.inspect` and `console.log` show: `Secret(<redacted>)`.
    ///
    /// ```ts
    /// console.log({ password: secret("hunter2") }); // { password: Secret(<redacted>) }
    /// ```
    #[napi(symbol_for = "nodejs.util.inspect.custom")]
    pub fn inspect(&self) -> String {
        format!("Secret({REDACTED})")
    }
}

/// Marks a value as secret, to be sops-encrypted when the catalog is
/// written: `password: secret("hunter2")` becomes `password_sops:
/// ENC[AES256_GCM,...]`. See `Secret`.
///
/// ```ts
/// import { secret } from "flowspec";
/// const config = { credentials: { access_token: secret(process.env.STRIPE_TOKEN ?? "") } };
/// ```
#[napi(ts_return_type = "Secret")]
pub fn secret<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "JsonValue")] value: Unknown,
) -> napi::Result<ClassInstance<'env, Secret>> {
    let secret = run(env, || Secret::from_js(env, Some(&value)))?;
    let token = secret.sealed();
    let instance = secret.into_instance(env)?;
    instance
        .as_object(env)
        .set_named_property(flowspec::secrets::SECRET_MARKER, token)?;
    Ok(instance)
}

/// Encrypts a document (an object) in the sops format for age recipients,
/// as `sops --encrypt` does; returns the encrypted document, with its
/// `sops` metadata.
///
/// Without `recipients`, `SOPS_AGE_RECIPIENTS` and then the `.sops.yaml`
/// creation rule matching `path` (or the current directory) are used. At
/// most one of `encryptedSuffix`, `unencryptedSuffix`, `encryptedRegex`,
/// `unencryptedRegex` (default: everything but keys ending in
/// `_unencrypted`). Throws an `Error` with a `sops_*` code, like
/// `sops_no_recipients`.
///
/// ```ts
/// import { ageKeygen, encrypt } from "flowspec";
/// const recipient = ageKeygen("keys.txt");
/// const sealed = encrypt({ user: "flow", password_sops: "hunter2" }, { recipients: [recipient], encryptedSuffix: "_sops" });
/// // sealed.password_sops: "ENC[AES256_GCM,data:...,type:str]", sealed.sops: { age: [...], mac: ... }
/// ```
#[napi(ts_return_type = "JsonObject")]
pub fn encrypt<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "JsonObject")] document: Unknown,
    #[napi(ts_arg_type = "EncryptOptions")] options: Option<Unknown>,
) -> napi::Result<Unknown<'env>> {
    run(env, || {
        let document = convert::from_js(env, Some(&document), "encrypt", "document")?;
        let options = convert::options(env, options.as_ref(), "encrypt")?;
        let sealed = flowspec::json_api::encrypt(document, options)?;
        Ok(convert::to_js(env, &sealed)?)
    })
}

/// Decrypts a sops document (an object with `sops` metadata), verifying its
/// MAC; returns the plaintext document. Nothing is returned unless every
/// value decrypts and the MAC matches.
///
/// The identity is `identity` (the text of `AGE-SECRET-KEY-1...` lines) or
/// `keyFile`, else the identities sops finds (`SOPS_AGE_KEY`,
/// `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`, `~/.config/sops/age/keys.txt`).
/// `stripSuffix` removes the `encrypted_suffix` from keys, as Estuary's
/// runtime does. Throws an `Error` with a `sops_*` code, like
/// `sops_mac_mismatch` or `sops_no_matching_identity`.
///
/// ```ts
/// import { decrypt } from "flowspec";
/// import { readFileSync } from "node:fs";
/// const plain = decrypt(sealed, { identity: readFileSync("keys.txt", "utf8") });
/// ```
#[napi(ts_return_type = "JsonObject")]
pub fn decrypt<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "JsonObject")] document: Unknown,
    #[napi(ts_arg_type = "DecryptOptions")] options: Option<Unknown>,
) -> napi::Result<Unknown<'env>> {
    run(env, || {
        let document = convert::from_js(env, Some(&document), "decrypt", "document")?;
        let options = convert::options(env, options.as_ref(), "decrypt")?;
        let plain = flowspec::json_api::decrypt(document, options)?;
        Ok(convert::to_js(env, &plain)?)
    })
}

/// Encrypts a JSON or YAML file (the format from its extension, or
/// `inputType`) as `sops --encrypt` does; returns the encrypted text, in
/// the file's format, and with `inPlace` also replaces the file
/// (atomically). Options as for `encrypt`; without `recipients`, the
/// `.sops.yaml` creation rule matching the file applies.
///
/// ```ts
/// import { encryptFile } from "flowspec";
/// encryptFile("config.yaml", { recipients: ["age1..."], encryptedSuffix: "_sops", inPlace: true });
/// ```
#[napi]
pub fn encrypt_file(
    env: &Env,
    #[napi(ts_arg_type = "string")] path: Unknown,
    #[napi(ts_arg_type = "EncryptFileOptions")] options: Option<Unknown>,
) -> napi::Result<String> {
    run(env, || {
        let path = convert::string(env, &path, "encryptFile", "path")?;
        let subject = format!("encryptFile {path}");
        let options = convert::options(env, options.as_ref(), &subject)?;
        Ok(flowspec::json_api::encrypt_file(&path, options)?)
    })
}

/// Decrypts a sops file (JSON or YAML, from its extension or `inputType`),
/// verifying its MAC; returns the plaintext document. Options as for
/// `decrypt`.
///
/// ```ts
/// import { decryptFile } from "flowspec";
/// const config = decryptFile("config.sops.yaml", { keyFile: "keys.txt" });
/// ```
#[napi(ts_return_type = "JsonObject")]
pub fn decrypt_file<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "string")] path: Unknown,
    #[napi(ts_arg_type = "DecryptFileOptions")] options: Option<Unknown>,
) -> napi::Result<Unknown<'env>> {
    run(env, || {
        let path = convert::string(env, &path, "decryptFile", "path")?;
        let subject = format!("decryptFile {path}");
        let options = convert::options(env, options.as_ref(), &subject)?;
        let plain = flowspec::json_api::decrypt_file(&path, options)?;
        Ok(convert::to_js(env, &plain)?)
    })
}

/// `encryptFile` on libuv's thread pool: a Promise of the encrypted
/// text, which rejects with the error `encryptFile` throws.
///
/// ```ts
/// import { encryptFileAsync } from "flowspec";
/// await encryptFileAsync("config.yaml", { recipients: ["age1..."], inPlace: true });
/// ```
#[napi(ts_return_type = "Promise<string>")]
pub fn encrypt_file_async(
    env: &Env,
    #[napi(ts_arg_type = "string")] path: Unknown,
    #[napi(ts_arg_type = "EncryptFileOptions")] options: Option<Unknown>,
) -> napi::Result<AsyncTask<CoreTask<String>>> {
    run(env, || {
        let path = convert::string(env, &path, "encryptFileAsync", "path")?;
        let subject = format!("encryptFile {path}");
        let options = convert::options(env, options.as_ref(), &subject)?;
        Ok(AsyncTask::new(CoreTask::new(
            move || flowspec::json_api::encrypt_file(&path, options),
            |env, text| Ok(unsafe { String::to_napi_value(env.raw(), text) }?),
        )))
    })
}

/// `decryptFile` on libuv's thread pool: a Promise of the plaintext
/// document, which rejects with the error `decryptFile` throws.
///
/// ```ts
/// import { decryptFileAsync } from "flowspec";
/// const config = await decryptFileAsync("config.sops.yaml", { keyFile: "keys.txt" });
/// ```
#[napi(ts_return_type = "Promise<JsonObject>")]
pub fn decrypt_file_async(
    env: &Env,
    #[napi(ts_arg_type = "string")] path: Unknown,
    #[napi(ts_arg_type = "DecryptFileOptions")] options: Option<Unknown>,
) -> napi::Result<AsyncTask<CoreTask<serde_json::Value>>> {
    run(env, || {
        let path = convert::string(env, &path, "decryptFileAsync", "path")?;
        let subject = format!("decryptFile {path}");
        let options = convert::options(env, options.as_ref(), &subject)?;
        Ok(AsyncTask::new(CoreTask::new(
            move || flowspec::json_api::decrypt_file(&path, options),
            |env, plain| Ok(convert::to_js(env, &plain)?.raw()),
        )))
    })
}

/// Generates an age identity, writes it to `path` (readable only by its
/// owner), or to sops' default key file (`~/.config/sops/age/keys.txt`)
/// when `path` is left out, as `age-keygen -o` does; returns its public key,
/// the recipient to encrypt to. An existing file is an error unless
/// `overwrite`.
///
/// ```ts
/// import { ageKeygen } from "flowspec";
/// const recipient: string = ageKeygen("keys.txt"); // "age1..."
/// ```
#[napi]
pub fn age_keygen(
    env: &Env,
    #[napi(ts_arg_type = "string")] path: Option<Unknown>,
    #[napi(ts_arg_type = "AgeKeygenOptions")] options: Option<Unknown>,
) -> napi::Result<String> {
    run(env, || {
        let path = match path {
            Some(p) if !matches!(p.get_type()?, napi::ValueType::Undefined) => {
                Some(convert::string(env, &p, "ageKeygen", "path")?)
            }
            _ => None,
        };
        let options = convert::options(env, options.as_ref(), "ageKeygen")?;
        Ok(flowspec::json_api::age_keygen(path.as_deref(), options)?)
    })
}
