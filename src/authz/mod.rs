//! Authorization: who is asking ([`Caller`]), what they may do ([`Role`],
//! [`Permission`], the route policy) and which records they may see
//! ([`ProgrammeScope`]). A base module: it imports no domain. The auth
//! middleware (in `auth`) finds the caller and puts a [`Caller`] into the
//! request; handlers take an [`Access`].

pub mod policy;
mod scope;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::AppError;
pub use policy::{Permission, Role};
pub use scope::ProgrammeScope;

/// The signed-in caller of a request, as pages and rules need them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: crate::ids::UserId,
    pub display_name: String,
    pub role: Role,
    /// The interface language they chose, if any.
    pub language: Option<String>,
    pub scope: ProgrammeScope,
    /// A mother's account: her mother record (she sees only her own).
    pub mother_id: Option<crate::ids::MotherId>,
}

/// The caller's identity and the programmes they may see. Every handler
/// that touches programme data takes one and passes its scope to the model.
#[derive(Debug, Clone)]
pub struct Access {
    /// Who makes a change (the audit log's actor).
    pub actor: Option<crate::ids::UserId>,
    pub scope: ProgrammeScope,
    pub role: Role,
    /// A mother's own account: her record. Her use cases act for her alone.
    pub mother_id: Option<crate::ids::MotherId>,
}

impl Access {
    /// Whether the caller may see families' personal fields and visit notes.
    pub fn sees_personal(&self) -> bool {
        self.role.can(Permission::SeePersonal)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Access {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = parts
            .extensions
            .get::<Caller>()
            .ok_or(AppError::Unauthenticated)?;
        Ok(Access {
            actor: Some(caller.id),
            scope: caller.scope.clone(),
            role: caller.role,
            mother_id: caller.mother_id,
        })
    }
}
