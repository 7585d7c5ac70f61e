//! The library's error type. Errors about one input never surface here: they
//! become [`crate::model::Reject`] rows and the build goes on. These are the
//! errors that stop a build (bad arguments, an unwritable output folder, a
//! broken data file shipped with the tool).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "input {0} does not exist (give a folder or files of articles: .txt, .html, .jsonl, or their .gz)"
    )]
    MissingInput(PathBuf),
    #[error("metadata file {path}: {detail}")]
    Metadata { path: PathBuf, detail: String },
    #[error("built-in data file {file}: {detail}")]
    Data { file: &'static str, detail: String },
    #[error("writing {path}: {detail}")]
    Write { path: PathBuf, detail: String },
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
    pub fn data(file: &'static str, detail: impl std::fmt::Display) -> Error {
        Error::Data {
            file,
            detail: detail.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
