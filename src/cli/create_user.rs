//! `create-user`, and the first administrator that `serve` creates when
//! there is no user yet.

use std::io::BufRead;

use anyhow::{Context, Result, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::auth::input::UserInput;
use crate::auth::model::{User, UserData};
use crate::auth::ops;
use crate::auth::password::{self, Secret};
use crate::authz::Role;
use crate::db::Database;
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::Tr;

/// The flags of `create-user`. The password is read from standard input;
/// for `--role mother` none is read: she is invited (a one-time code).
#[derive(Debug, Clone, clap::Args)]
pub struct CreateUserArgs {
    /// Sign-in email (staff; a mother's comes from her record).
    #[arg(long, required_unless_present = "mother")]
    pub email: Option<String>,
    /// Display name (staff; a mother's is her record's name).
    #[arg(long, required_unless_present = "mother")]
    pub name: Option<String>,
    /// admin, manager, coordinator, trainer or mother.
    #[arg(long)]
    pub role: String,
    /// With `--role mother`: her mother record's id. Prints her one-time
    /// code, with which she chooses her password at /join on her phone.
    #[arg(long)]
    pub mother: Option<i64>,
    /// A programme the user belongs to (repeat for several; not for admins).
    #[arg(long = "programme")]
    pub programmes: Vec<i64>,
}

/// `create-user`: checks the flags, reads the password (one line) from
/// standard input, checks its strength and creates the user.
pub async fn run(database: &Database, args: &CreateUserArgs) -> Result<()> {
    let tr = Tr::from_env();
    if args.role.trim() == Role::Mother.as_str() {
        return invite_mother(database, &tr, args.mother).await;
    }
    let data = UserData::try_from(&UserInput {
        email: args.email.clone().unwrap_or_default(),
        display_name: args.name.clone().unwrap_or_default(),
        role: args.role.clone(),
        programme_ids: args.programmes.iter().map(ToString::to_string).collect(),
        language: String::new(),
    })
    .map_err(|e| anyhow::anyhow!("{}\n  {}", tr.t("cli-invalid-user"), describe(&tr, &e)))?;
    if data.role == Role::Admin && !data.programme_ids.is_empty() {
        bail!("{}", tr.t("cli-admin-no-programme"));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(key) = password::check_strength(&pw, &[&data.email, &data.display_name]) {
        bail!("{}: {}", tr.t("cli-password"), tr.t(key));
    }
    let hash = password::hash(Secret::new(pw)).await?;
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let user = match ops::create_user(&mut conn, None, &data, &hash, false).await {
        Ok(u) => u,
        Err(AppError::Validation(fields)) => bail!("{}", describe(&tr, &fields)),
        Err(other) => return Err(anyhow::anyhow!("{other}")),
    };
    let created = Msg::new("cli-user-created")
        .arg("name", &user.display_name)
        .arg("email", &user.email)
        .arg("role", tr.t(&format!("role-{}", user.role.as_str())))
        .arg("id", user.id);
    println!("{}", tr.msg(&created));
    Ok(())
}

/// `create-user --role mother --mother ID`: her account and a one-time
/// code, printed once.
async fn invite_mother(database: &Database, tr: &Tr, mother: Option<i64>) -> Result<()> {
    let Some(mother) = mother else {
        bail!("{}", tr.t("cli-mother-required"));
    };
    let access = crate::authz::Access {
        actor: None,
        scope: crate::authz::ProgrammeScope::All,
        role: Role::Admin,
        mother_id: None,
    };
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let id = crate::ids::MotherId(mother);
    let invited = match crate::my::invite::invite(
        &mut conn,
        &access,
        id,
        crate::clock::Clock::system().now(),
    )
    .await
    {
        Ok(i) => i,
        Err(AppError::NotFound) => bail!("{}", tr.t1("cli-no-such-mother", "id", mother)),
        Err(AppError::Conflict(key)) => bail!("{}", tr.t(key)),
        Err(other) => return Err(anyhow::anyhow!("{other}")),
    };
    let msg = Msg::new("cli-mother-invited")
        .arg("code", &invited.code)
        .arg("email", &invited.sign_in)
        .arg("date", tr.date(invited.expires_at.date_naive()))
        .arg("path", &invited.path);
    println!("{}", tr.msg(&msg));
    Ok(())
}

/// With no user yet, creates the first administrator and prints their
/// one-time password (once: it is stored only as a hash).
pub async fn first_admin(url: &str, email: &str, base_url: &str) -> Result<()> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    if User::count(&mut conn).await? > 0 {
        return Ok(());
    }
    let one_time = Secret::new(password::one_time_password());
    let hash = password::hash(one_time.clone()).await?;
    if let Some(admin) = ops::create_first_admin(&mut conn, email, &hash).await? {
        let tr = Tr::from_env();
        let (email, password) = (tr.t("cli-email"), tr.t("cli-one-time-password"));
        let width = email.chars().count().max(password.chars().count()) + 2;
        println!();
        println!("{}", tr.t("cli-first-admin"));
        println!("  {:<width$}{}", format!("{email}:"), admin.email);
        println!("  {:<width$}{}", format!("{password}:"), one_time.expose());
        println!(
            "{}",
            tr.t1("cli-sign-in-at", "url", format!("{base_url}/login"))
        );
        println!("{}", tr.t("cli-shown-once"));
        println!();
    }
    Ok(())
}

/// Turns field errors into one readable line per field.
fn describe(tr: &Tr, errors: &FieldErrors) -> String {
    errors
        .iter()
        .map(|(field, msg)| format!("{field}: {}", tr.msg(msg)))
        .collect::<Vec<_>>()
        .join("\n  ")
}
