//! The standard conversions of [`Error`]: its `source`, and `From` for the loader's errors.

use super::{Context, Error, ErrorKind};

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The one-line Display already includes the text of the other sources.
        match &self.inner.kind {
            ErrorKind::Load(e) => Some(e),
            ErrorKind::MissingComponent(e) => Some(e),
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<hcnetsdk_sys::LoadError> for Error {
    #[cold]
    fn from(e: hcnetsdk_sys::LoadError) -> Self {
        Self::new(ErrorKind::Load(e), None, Context::default())
    }
}

impl From<hcnetsdk_sys::MissingSymbol> for Error {
    #[cold]
    fn from(e: hcnetsdk_sys::MissingSymbol) -> Self {
        let call = e.symbol;
        Self::new(ErrorKind::MissingSymbol(e), Some(call), Context::default())
    }
}

impl From<hcnetsdk_sys::components::MissingComponent> for Error {
    #[cold]
    fn from(e: hcnetsdk_sys::components::MissingComponent) -> Self {
        Self::new(ErrorKind::MissingComponent(e), None, Context::default())
    }
}
