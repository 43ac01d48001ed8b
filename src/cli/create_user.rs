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
use crate::error::{AppError, FieldErrors};
use crate::web::Tr;

/// The flags of `create-user`. The password is read from standard input.
#[derive(Debug, Clone, clap::Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// admin, manager, coordinator or trainer.
    #[arg(long)]
    pub role: String,
    /// A programme the user belongs to (repeat for several; not for admins).
    #[arg(long = "programme")]
    pub programmes: Vec<i64>,
}

/// `create-user`: checks the flags, reads the password (one line) from
/// standard input, checks its strength and creates the user.
pub async fn run(database: &Database, args: &CreateUserArgs) -> Result<()> {
    let data = UserData::try_from(&UserInput {
        email: args.email.clone(),
        display_name: args.name.clone(),
        role: args.role.clone(),
        programme_ids: args.programmes.iter().map(ToString::to_string).collect(),
        language: String::new(),
    })
    .map_err(|e| anyhow::anyhow!("invalid user:\n  {}", describe(&e)))?;
    if data.role == Role::Admin && !data.programme_ids.is_empty() {
        bail!("admins see every programme: leave out --programme");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(key) = password::check_strength(&pw, &[&data.email, &data.display_name]) {
        bail!("password: {}", Tr::negotiate(None, None, None).t(key));
    }
    let hash = password::hash(Secret::new(pw)).await?;
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let user = match ops::create_user(&mut conn, None, &data, &hash, false).await {
        Ok(u) => u,
        Err(AppError::Validation(fields)) => bail!("{}", describe(&fields)),
        Err(other) => return Err(anyhow::anyhow!("{other}")),
    };
    println!(
        "Created {} <{}> ({}), id {}.",
        user.display_name, user.email, user.role, user.id
    );
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
        println!();
        println!("No user existed, so an administrator was created:");
        println!("  email:              {}", admin.email);
        println!("  one-time password:  {}", one_time.expose());
        println!("Sign in at {base_url}/login and choose a new password.");
        println!("This password is shown only now.");
        println!();
    }
    Ok(())
}

/// Turns field errors into one readable line per field.
fn describe(errors: &FieldErrors) -> String {
    let tr = Tr::negotiate(None, None, None);
    errors
        .iter()
        .map(|(field, msg)| format!("{field}: {}", tr.msg(msg)))
        .collect::<Vec<_>>()
        .join("\n  ")
}
