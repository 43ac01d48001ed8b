//! Who is asking, and what they may see. Every handler that touches
//! programme data takes an [`Access`] and passes its scope to the model.
//!
//! Accounts do not exist yet: until the accounts issue signs users in, every
//! request acts as the system with access to all programmes (as the
//! foundation issue allows). That issue replaces `from_request_parts` with the
//! session's user, and the handlers stay as they are.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::audit::Actor;
use crate::programmes::model::ProgrammeScope;

/// The caller's identity and the programmes they may see.
#[derive(Debug, Clone)]
pub struct Access {
    pub actor: Actor,
    pub scope: ProgrammeScope,
}

impl<S: Send + Sync> FromRequestParts<S> for Access {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Access {
            actor: None,
            scope: ProgrammeScope::All,
        })
    }
}
