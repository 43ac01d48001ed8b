//! The accounts: a trainer per programme (courses need one); with the
//! demo, one user per role with a one-time password.

use anyhow::{Context, Result};
use diesel_async::AsyncPgConnection;

use super::programmes::Programme;
use super::{Ctx, Summary};
use crate::auth::model::UserData;
use crate::auth::password::{self, Secret};
use crate::authz::Role;

/// Creates the accounts and returns the trainers' ids (the demo's
/// one-time passwords go into the summary).
pub(super) async fn create(
    conn: &mut AsyncPgConnection,
    ctx: &Ctx<'_>,
    programmes: &[Programme],
    summary: &mut Summary,
) -> Result<Vec<crate::ids::UserId>> {
    let spec = ctx.spec;
    let mut trainers = Vec::new();
    let all_ids: Vec<i64> = programmes.iter().map(|p| p.id).collect();
    let mut accounts: Vec<(String, String, Role, Vec<i64>)> = Vec::new();
    if spec.demo_users {
        accounts.push((
            "demo-admin@example.org".into(),
            "Demo Admin".into(),
            Role::Admin,
            vec![],
        ));
        accounts.push((
            "demo-manager@example.org".into(),
            "Demo Manager".into(),
            Role::Manager,
            all_ids.clone(),
        ));
        accounts.push((
            "demo-coordinator@example.org".into(),
            "Demo Coordinator".into(),
            Role::Coordinator,
            all_ids.clone(),
        ));
        accounts.push((
            "demo-trainer@example.org".into(),
            "Demo Trainer".into(),
            Role::Trainer,
            all_ids.clone(),
        ));
    } else {
        for (i, p) in programmes.iter().enumerate() {
            accounts.push((
                format!(
                    "trainer-{}-{}@generated.example",
                    p.city.prefix.to_lowercase(),
                    i + 1
                ),
                format!("Trainer {}", p.city.city),
                Role::Trainer,
                vec![p.id],
            ));
        }
    }
    for (email, name, role, ids) in accounts {
        let one_time = password::one_time_password();
        let hash = password::hash(Secret::new(one_time.clone())).await?;
        let data = UserData {
            email: email.clone(),
            display_name: name,
            role,
            programme_ids: ids,
            language: None,
        };
        let user = crate::auth::ops::create_user(conn, None, &data, &hash, true)
            .await
            .with_context(|| format!("cannot create {email} (does it exist already?)"))?;
        if role == Role::Trainer {
            trainers.push(user.id);
        }
        if spec.demo_users {
            summary.accounts.push((email, role, one_time));
        }
    }
    Ok(trainers)
}
