//! Input for users, as typed into the admin form or sent as JSON.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::UserData;
use crate::authz::Role;
use crate::error::FieldErrors;
use crate::web::i18n;

/// A user as typed. `programme_ids` comes from a group of checkboxes.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct UserInput {
    #[schema(required = true)]
    pub email: String,
    #[schema(required = true)]
    pub display_name: String,
    /// `admin`, `manager`, `coordinator` or `trainer`.
    #[schema(required = true)]
    pub role: String,
    #[schema(value_type = Vec<i64>)]
    pub programme_ids: Vec<String>,
    /// A language the interface has, or empty for the browser's.
    pub language: String,
}

impl From<&super::User> for UserInput {
    fn from(u: &super::User) -> Self {
        Self {
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role.as_str().to_owned(),
            programme_ids: u.programme_ids.iter().map(ToString::to_string).collect(),
            language: u.language.clone().unwrap_or_default(),
        }
    }
}

impl UserInput {
    pub fn has_programme(&self, id: &i64) -> bool {
        self.programme_ids.iter().any(|p| p == &id.to_string())
    }
}

impl TryFrom<&UserInput> for UserData {
    type Error = FieldErrors;

    fn try_from(input: &UserInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = input.email.trim().to_owned();
        let valid_email = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
            && !email.chars().any(char::is_whitespace)
            && email.matches('@').count() == 1;
        if email.is_empty() {
            errors.insert("email", "error-required");
        } else if !valid_email {
            errors.insert("email", "error-email-invalid");
        }
        let display_name = input.display_name.trim().to_owned();
        if display_name.is_empty() {
            errors.insert("display_name", "error-required");
        } else if display_name.chars().count() > 200 {
            errors.insert("display_name", "error-too-long");
        }
        // A mother's account is made by inviting her from her profile
        // (it is linked to her record), never from the users' form.
        let role = Role::parse(input.role.trim()).filter(|r| *r != Role::Mother);
        if role.is_none() {
            errors.insert(
                "role",
                crate::error::Msg::new("error-role-unknown").allowed([
                    "admin",
                    "manager",
                    "coordinator",
                    "trainer",
                ]),
            );
        }
        let mut programme_ids = Vec::new();
        for p in &input.programme_ids {
            match p.trim().parse::<i64>() {
                Ok(id) => programme_ids.push(id),
                Err(_) => {
                    errors.insert("programme_ids", "error-programme-unknown");
                }
            }
        }
        programme_ids.sort_unstable();
        programme_ids.dedup();
        if role.is_some_and(|r| r != Role::Admin) && programme_ids.is_empty() {
            errors.insert("programme_ids", "error-programmes-required");
        }
        let language = input.language.trim().to_owned();
        if !language.is_empty() && !i18n::available().contains(&language) {
            errors.insert("language", "error-language-unknown");
        }
        match role {
            Some(role) if errors.is_empty() => Ok(UserData {
                email,
                display_name,
                role,
                programme_ids,
                language: (!language.is_empty()).then_some(language),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        let ok = UserInput {
            email: " amina@example.org ".into(),
            display_name: "Amina".into(),
            role: "coordinator".into(),
            programme_ids: vec!["2".into(), "1".into(), "2".into()],
            language: String::new(),
        };
        let d = UserData::try_from(&ok).expect("valid");
        assert_eq!(d.email, "amina@example.org");
        assert_eq!(d.programme_ids, vec![1, 2]);
        let bad = UserInput {
            email: "no at sign".into(),
            role: "root".into(),
            ..ok.clone()
        };
        let e = UserData::try_from(&bad).expect_err("invalid");
        assert_eq!(e.key("email"), Some("error-email-invalid"));
        assert_eq!(e.key("role"), Some("error-role-unknown"));
        let no_programme = UserInput {
            programme_ids: vec![],
            ..ok
        };
        let e = UserData::try_from(&no_programme).expect_err("needs a programme");
        assert_eq!(e.key("programme_ids"), Some("error-programmes-required"));
    }
}
