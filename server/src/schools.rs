//! What the command line does with a school: create it, give it a new access code or admin
//! token, import and export its content, and set up the demo school. Each step returns a
//! `Result` with a message in Dutch; `main.rs` only parses the arguments and prints.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use driehoek_core::{Content, FieldError};

use crate::auth::hash;
use crate::request::parse_json;
use crate::school::etag_of;
use crate::store::{PostgresStore, Publication, SchoolExport, SqliteStore, Store};

/// Why a command on a school failed, in Dutch.
#[derive(Debug)]
pub enum SchoolError {
    /// One sentence.
    Message(String),
    /// A content file that is not valid: a heading, then one problem per field.
    Invalid {
        heading: String,
        errors: Vec<FieldError>,
    },
}

impl From<String> for SchoolError {
    fn from(message: String) -> Self {
        SchoolError::Message(message)
    }
}

impl fmt::Display for SchoolError {
    /// The heading or sentence, then each field's problem on a line of its own, indented.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchoolError::Message(message) => write!(f, "{message}"),
            SchoolError::Invalid { heading, errors } => {
                write!(f, "{heading}")?;
                for error in errors {
                    if error.field.is_empty() {
                        write!(f, "\n  {}", error.message)?;
                    } else {
                        write!(f, "\n  {}: {}", error.field, error.message)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Where the server keeps its data (`--db`): a SQLite file (the default: one file to back up),
/// or a PostgreSQL database, named by its address (`postgres://user@host:5432/driehoek`), that
/// several servers share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::str::FromStr for Database {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Database::Postgres(text.to_owned()))
        } else if text.is_empty() {
            Err("geef een bestand of een postgres://-adres".into())
        } else {
            Ok(Database::Sqlite(PathBuf::from(text)))
        }
    }
}

impl fmt::Display for Database {
    /// The file, or the address without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                match rest.split_once('@') {
                    Some((user, host)) => {
                        let user = user.split_once(':').map_or(user, |(name, _)| name);
                        write!(f, "{scheme}://{user}@{host}")
                    }
                    None => write!(f, "{scheme}://{rest}"),
                }
            }
        }
    }
}

impl Database {
    /// Opens the database, made when it does not exist yet, with its migrations run.
    pub fn open(&self) -> Result<Arc<dyn Store>, String> {
        let store: Arc<dyn Store> = match self {
            Database::Sqlite(path) => Arc::new(SqliteStore::open(path).map_err(|e| e.to_string())?),
            Database::Postgres(url) => {
                Arc::new(PostgresStore::open(url).map_err(|e| e.to_string())?)
            }
        };
        Ok(store)
    }

    /// The SQLite file beside which the demo school keeps its codes, if it is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Database::Sqlite(path) => Some(path),
            Database::Postgres(_) => None,
        }
    }
}

/// A school's two secrets, shown once: only their hashes are kept.
#[derive(Clone, Debug)]
pub struct Codes {
    /// The parents' access code (in the join link).
    pub access_code: String,
    /// The school's admin token (Beheer).
    pub admin_token: String,
}

/// 16 random bytes from the kernel, as hex.
pub fn random_token() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut file| file.read_exact(&mut bytes))
        .map_err(|err| format!("geen willekeurige code te maken: {err}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates a school in `store`; returns its codes.
pub fn create_school(store: &dyn Store, id: &str, name: &str) -> Result<Codes, String> {
    if !driehoek_core::validate::is_valid_id(id) {
        return Err(format!("{id:?} is geen geldige code (a-z, 0-9, -)"));
    }
    if store.school_meta(id).map_err(|e| e.to_string())?.is_some() {
        return Err(format!(
            "school {id:?} bestaat al. Kies een andere code; voor nieuwe codes van deze school \
             zijn er `school new-code` (ouders) en `school new-admin-token` (beheer)."
        ));
    }
    let codes = Codes {
        access_code: random_token()?,
        admin_token: random_token()?,
    };
    store
        .create_school(
            id,
            name,
            &hash(&codes.access_code),
            &hash(&codes.admin_token),
        )
        .map_err(|e| e.to_string())?;
    Ok(codes)
}

/// `school create`: the school in the database `db` (made when it does not exist yet).
pub fn school_create(db: &Database, id: &str, name: &str) -> Result<Codes, String> {
    let store = db.open()?;
    create_school(store.as_ref(), id, name)
}

/// The demo school: on first start created and its demo content published, dated around `today`
/// (the server clock's date in Amsterdam). Its access code and admin token are kept in files
/// beside the database (`<db>.demo-code`, `<db>.demo-admin`), so later starts print the same
/// link; a kept code that no longer matches (after `school new-code`) is replaced by a new one.
/// Returns the join link's path and the admin token.
pub fn demo_school(
    store: &dyn Store,
    db: Option<&Path>,
    today: NaiveDate,
) -> Result<(String, String), String> {
    let id = driehoek_core::demo::school().id;
    let files = db.map(|p| {
        (
            p.with_extension("demo-code"),
            p.with_extension("demo-admin"),
        )
    });
    let kept = |file: Option<&PathBuf>, hash_kept: &[u8]| {
        file.and_then(|f| std::fs::read_to_string(f).ok())
            .map(|s| s.trim().to_owned())
            .filter(|code| hash(code)[..] == *hash_kept)
    };
    let (code, admin) = match store.school_meta(&id).map_err(|e| e.to_string())? {
        None => {
            let codes = create_school(store, &id, &driehoek_core::demo::school().name)?;
            let content = driehoek_core::demo_content(today);
            let json = serde_json::to_string(&content).map_err(|e| e.to_string())?;
            let outcome = store
                .publish(
                    &id,
                    &content,
                    &etag_of(&json),
                    None,
                    today.and_time(NaiveTime::MIN),
                )
                .map_err(|e| e.to_string())?;
            if let Publication::Refused(conflict) = outcome {
                return Err(conflict.message);
            }
            (codes.access_code, codes.admin_token)
        }
        Some(meta) => {
            let code = kept(files.as_ref().map(|f| &f.0), &meta.access_hash);
            let admin = kept(files.as_ref().map(|f| &f.1), &meta.admin_hash);
            let new_code = match &code {
                Some(_) => None,
                None => Some(random_token()?),
            };
            let new_admin = match &admin {
                Some(_) => None,
                None => Some(random_token()?),
            };
            if new_code.is_some() || new_admin.is_some() {
                store
                    .set_hashes(
                        &id,
                        new_code.as_deref().map(hash).as_ref(),
                        new_admin.as_deref().map(hash).as_ref(),
                    )
                    .map_err(|e| e.to_string())?;
            }
            (
                code.or(new_code).unwrap_or_default(),
                admin.or(new_admin).unwrap_or_default(),
            )
        }
    };
    if let Some((code_file, admin_file)) = files {
        std::fs::write(code_file, &code).map_err(|e| e.to_string())?;
        std::fs::write(admin_file, &admin).map_err(|e| e.to_string())?;
    }
    Ok((format!("/?school={id}&code={code}"), admin))
}

/// A database that must exist already (a command for a school made earlier).
pub fn open_existing(db: &Database) -> Result<Arc<dyn Store>, String> {
    if let Some(file) = db.file() {
        if !file.is_file() {
            return Err(format!(
                "{} bestaat niet; maak eerst een school met `school create`.",
                file.display()
            ));
        }
    }
    db.open()
        .map_err(|err| format!("kan de database niet openen: {err}"))
}

/// `school export`: every row kept for the school (content, families, answers,
/// acknowledgements, reports, bookings) as JSON, for `school import` into another database.
pub fn school_export(db: &Database, id: &str) -> Result<(String, SchoolExport), String> {
    let store = open_existing(db)?;
    let export = store
        .export_school(id)
        .map_err(|err| format!("kan de database niet lezen: {err}"))?
        .ok_or_else(|| format!("school {id:?} bestaat niet in {db}."))?;
    let mut text = serde_json::to_string_pretty(&export).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok((text, export))
}

/// `school import`: writes a school's export into `db` (made when it does not exist yet), in
/// one transaction; refused when the school is there already.
pub fn school_import(file: &Path, db: &Database) -> Result<SchoolExport, String> {
    let json =
        std::fs::read(file).map_err(|err| format!("kan {} niet lezen: {err}", file.display()))?;
    let export: SchoolExport = serde_json::from_slice(&json)
        .map_err(|err| format!("{} is geen export van een school: {err}", file.display()))?;
    let store = db.open()?;
    match store.import_school(&export) {
        Ok(true) => Ok(export),
        Ok(false) => Err(format!(
            "school {:?} bestaat al in {db}; er is niets veranderd.",
            export.school
        )),
        Err(err) => Err(format!("niet ingelezen, er is niets veranderd: {err}")),
    }
}

/// Which of a school's two codes a command replaces.
#[derive(Clone, Copy, Debug)]
pub enum Replaced {
    /// The parents' access code (`school new-code`).
    AccessCode,
    /// The school's admin token (`school new-admin-token`).
    AdminToken,
}

/// `school new-code` and `school new-admin-token`: a new code, returned to be shown once; the
/// old one stops working at once, also on a running server (which reads the hashes anew).
pub fn replace_code(db: &Database, id: &str, which: Replaced) -> Result<String, String> {
    let store = open_existing(db)?;
    let code = random_token()?;
    let hashed = hash(&code);
    let (access, admin) = match which {
        Replaced::AccessCode => (Some(&hashed), None),
        Replaced::AdminToken => (None, Some(&hashed)),
    };
    match store.set_hashes(id, access, admin) {
        Ok(true) => Ok(code),
        Ok(false) => Err(format!("school {id:?} bestaat niet in {db}.")),
        Err(err) => Err(format!("kan de code niet bewaren: {err}")),
    }
}

/// What `content import` published.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The content as published.
    pub content: Content,
    /// Its ETag.
    pub etag: String,
}

/// `content import`: reads the content file, checks it as the API would, and publishes it for
/// `school` at `now`.
pub fn content_import(
    file: &Path,
    school: &str,
    db: &Database,
    now: NaiveDateTime,
) -> Result<Imported, SchoolError> {
    let json =
        std::fs::read(file).map_err(|err| format!("kan {} niet lezen: {err}", file.display()))?;
    let content: Content = parse_json(&json).map_err(|errors| SchoolError::Invalid {
        heading: format!("{} is geen geldige inhoud:", file.display()),
        errors,
    })?;
    let mut errors = driehoek_core::validate(&content);
    if content.school.id != school {
        errors.push(FieldError {
            field: "school.id".into(),
            message: format!("Hoort {school:?} te zijn, de school waarvoor u publiceert."),
        });
    }
    if !errors.is_empty() {
        return Err(SchoolError::Invalid {
            heading: format!(
                "Niet gepubliceerd: {} {} in {}:",
                errors.len(),
                if errors.len() == 1 { "fout" } else { "fouten" },
                file.display()
            ),
            errors,
        });
    }
    let store = open_existing(db)?;
    match store.school_meta(school) {
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(format!(
                "school {school:?} bestaat niet in {db}; maak haar eerst met `school create`."
            )
            .into())
        }
        Err(err) => return Err(format!("kan de database niet lezen: {err}").into()),
    }
    let compact = serde_json::to_string(&content).map_err(|err| err.to_string())?;
    let etag = etag_of(&compact);
    // The same rules as a publication through the API (a published agreement version never
    // changes; answered activities do not disappear), decided in the store's transaction.
    match store.publish(school, &content, &etag, None, now) {
        Ok(Publication::Published) => Ok(Imported { content, etag }),
        Ok(Publication::Refused(conflict)) => Err(format!(
            "niet gepubliceerd: {}: {}",
            conflict.field, conflict.message
        )
        .into()),
        Ok(Publication::Stale) => Err(
            "niet gepubliceerd: intussen is er iets anders gepubliceerd."
                .to_owned()
                .into(),
        ),
        Err(err) => Err(format!("kan niet publiceren: {err}").into()),
    }
}

/// `content export`: the published content as readable JSON, ready for `content import`.
pub fn content_export(school: &str, db: &Database) -> Result<String, String> {
    let store = open_existing(db)?;
    let json = match store.school(school) {
        Ok(Some(row)) => match row.content {
            Some((json, _)) => json,
            None => return Err(format!("school {school:?} heeft nog niets gepubliceerd.")),
        },
        Ok(None) => return Err(format!("school {school:?} bestaat niet in {db}.")),
        Err(err) => return Err(format!("kan de database niet lezen: {err}")),
    };
    // Through the model, so that the fields keep its order (a map would sort them).
    let mut text = serde_json::from_str::<Content>(&json)
        .and_then(|content| serde_json::to_string_pretty(&content))
        .map_err(|err| format!("de bewaarde inhoud is onleesbaar: {err}"))?;
    text.push('\n');
    Ok(text)
}
