//! `create-token`: an API token for a user, printed once.

use anyhow::{Result, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::auth::model::User;
use crate::auth::ops::{self, token_expiry};
use crate::clock::Clock;
use crate::db::Database;
use crate::error::{AppError, Msg};
use crate::web::Tr;

/// The flags of `create-token`.
#[derive(Debug, Clone, clap::Args)]
pub struct CreateTokenArgs {
    /// The user the token acts as.
    #[arg(long)]
    pub email: String,
    /// What the token is for (e.g. "paper forms import").
    #[arg(long)]
    pub label: String,
    /// The last day the token works (YYYY-MM-DD); without it, the token
    /// works until it is revoked or its user's password changes.
    #[arg(long)]
    pub expires: Option<String>,
}

/// `create-token`: creates a token for an active user and prints it on
/// standard output (only its hash is stored).
pub async fn run(database: &Database, args: &CreateTokenArgs) -> Result<()> {
    let label = args.label.trim();
    if label.is_empty() {
        bail!("--label must not be empty");
    }
    let expires_at = token_expiry(
        args.expires.as_deref().unwrap_or(""),
        Clock::system().today(),
    )
    .map_err(|key| anyhow::anyhow!("--expires: {}", Tr::from_env().t(key)))?;
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let Some(row) = User::row_by_email(&mut conn, args.email.trim()).await? else {
        bail!(
            "{}",
            Tr::from_env().t1("cli-no-such-user", "email", &args.email)
        );
    };
    if !row.active {
        bail!(
            "{}",
            Tr::from_env().t1("cli-user-deactivated", "email", &row.email)
        );
    }
    let (token, _, _) = ops::create_token(&mut conn, None, Some(row.id), label, Ok(expires_at))
        .await
        .map_err(|e| match e {
            AppError::Validation(fields) => anyhow::anyhow!("{fields:?}"),
            other => anyhow::anyhow!("{other}"),
        })?;
    let intro = Msg::new("cli-token-intro")
        .arg("email", &row.email)
        .arg("label", label);
    eprintln!("{}", Tr::from_env().msg(&intro));
    println!("{}", token.expose());
    Ok(())
}
