//! The application: the router with its middleware (each domain's routes
//! merged), and the HTTP server with graceful shutdown. Nothing imports
//! this module but `main` (and the tests); the state is in `state`.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Span;
use utoipa::OpenApi;
use utoipa_axum::routes;

use crate::auth::model::Throttle;
use crate::auth::session_store::DieselStore;
use crate::authz::policy::{Permission, Policy, Rule};
use crate::error::{AppError, ErrorResponse};
pub use crate::state::{AppState, Settings};
use crate::web::Routes;
use crate::{
    auth, events, families, funding, health, imports, mothers, my, outcomes, privacy, programmes,
    reports, training, views, visits, web,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "neighbourhood-mothers",
        description = "Case manager for neighbourhood-mothers programmes: the JSON API. \
                       Errors are `{\"error\": {\"code\", \"message\", \"request_id\", \"fields\", \"field_errors\"}}`; every operation documents the error statuses it can answer."
    ),
    components(schemas(ErrorResponse, crate::error::FieldError))
)]
struct ApiDoc;

/// Every route of every domain, each declared once with its permission.
pub fn routes() -> Routes {
    Routes::with_openapi(ApiDoc::openapi())
        .api(Permission::Public, routes!(health::healthz))
        .merge(auth::routes())
        .merge(programmes::routes())
        .merge(mothers::routes())
        .merge(views::routes())
        .merge(my::routes())
        .merge(privacy::routes())
        .merge(imports::routes())
        .merge(training::routes())
        .merge(families::routes())
        .merge(events::routes())
        .merge(outcomes::routes())
        .merge(visits::routes())
        .merge(funding::routes())
        .merge(reports::routes())
}

/// The OpenAPI document as served (for the tests).
pub fn openapi_document() -> serde_json::Value {
    let (_, doc, rules) = routes().into_parts();
    web::openapi::complete(&doc, &rules)
}

/// The rules of every route (for the policy test).
pub fn rules() -> Vec<Rule> {
    routes().merge(static_routes(Arc::from(""))).into_parts().2
}

/// The routes of the program itself: the API document and the stylesheet.
fn static_routes(openapi: Arc<str>) -> Routes {
    Routes::new()
        .get(
            "/api/v1/openapi.json",
            Permission::Public,
            move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    openapi.to_string(),
                )
                    .into_response()
            },
        )
        .get("/static/app.css", Permission::Public, web::stylesheet)
}

/// Headers on every response: no inline script or style, no framing, no
/// sniffing, no referrer to other sites.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The mothers' pages (`/my`) and their service worker: the same, and
/// scripts, the worker, the manifest and `fetch` from this site. The only
/// pages with a script (`static/my.js`).
const CONTENT_SECURITY_POLICY_MY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     script-src 'self'; worker-src 'self'; manifest-src 'self'; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The session cookie's name: with secure cookies `__Host-` prefixed, so
/// that browsers take it only from this host over HTTPS, for the whole
/// site and no other domain.
pub fn session_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies {
        "__Host-nm_session"
    } else {
        "nm_session"
    }
}

/// With secure cookies the site is served over HTTPS only: browsers are
/// told to use nothing else for a year.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let policy = if path == "/my" || path.starts_with("/my/") || path == "/sw.js" {
        CONTENT_SECURITY_POLICY_MY
    } else {
        CONTENT_SECURITY_POLICY
    };
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if state.settings().secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    // Pages hold personal data: no caching, unless a route says otherwise.
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// Answers 503 to a request still running after the configured time, so
/// that no request can hold a client, a connection or a worker for ever.
async fn limit_time(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.settings().request_timeout;
    let mut work = Box::pin(next.run(req));
    match tokio::time::timeout(limit, &mut work).await {
        Ok(res) => res,
        Err(_) => {
            crate::db::drop_cancelled(work);
            tracing::warn!(
                seconds = limit.as_secs_f64(),
                "request cut at the time limit"
            );
            AppError::TimedOut.into_response()
        }
    }
}

/// Starts the log on standard error at `LOG_LEVEL` (`info` if it does not
/// parse). Whatever it says, the database driver logs no more than `info`
/// (a filter of its own, which no directive lifts): at `debug` it writes
/// each statement's parameters (names, notes, password hashes), and the
/// log holds no personal value at any level.
pub fn init_log(level: &str) {
    use std::io::IsTerminal;
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let no_statement_values = tracing_subscriber::filter::filter_fn(|m| {
        !(m.target().starts_with("tokio_postgres") && *m.level() > tracing::Level::INFO)
    });
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(filter)
        .with_filter(no_statement_values);
    tracing_subscriber::registry().with(layer).init();
}

/// All routes and middleware.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DieselStore::new(
        state.0.pool.clone(),
        state.clock().clone(),
    ))
    .with_name(session_cookie_name(state.settings()))
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.settings().secure_cookies)
    .with_expiry(Expiry::OnInactivity(state.settings().session_inactivity));
    let (domains, openapi, mut rules) = routes().into_parts();
    // Serialised once: the document does not change while the server runs.
    let openapi: Arc<str> = web::openapi::complete(&openapi, &rules).to_string().into();
    let (own, _, own_rules) = static_routes(openapi).into_parts();
    rules.extend(own_rules);
    let policy = Policy::new(&rules).unwrap_or_else(|e| panic!("route declarations: {e}"));
    domains
        .merge(own)
        // Every matched route passes the policy (sign-in, role, CSRF).
        .route_layer(from_fn_with_state(
            state.clone(),
            auth::middleware::authorize,
        ))
        .layer(Extension(Arc::new(policy)))
        .fallback(|| async { AppError::NotFound })
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request| {
                            let id = req
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("");
                            // The route, not the path: a path may hold an
                            // invitation's code or a file's name.
                            let route = req
                                .extensions()
                                .get::<axum::extract::MatchedPath>()
                                .map_or("-", |m| m.as_str());
                            tracing::info_span!("request", method = %req.method(),
                                route = %route, request_id = %id)
                        })
                        .on_request(())
                        .on_response(|res: &Response, latency: Duration, _span: &Span| {
                            tracing::info!(
                                status = res.status().as_u16(),
                                latency_ms = %format_args!("{:.2}", latency.as_secs_f64() * 1000.0),
                                "response"
                            );
                        }),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(from_fn_with_state(state.clone(), security_headers))
                .layer(from_fn(web::render_errors))
                .layer(from_fn_with_state(state.clone(), limit_time))
                .layer(from_fn_with_state(state.clone(), web::reads::mark_writes))
                .layer(sessions)
                .layer(from_fn(web::flash::layer)),
        )
        .with_state(state)
}

/// Serves on `listener` until `shutdown` completes, then lets in-flight
/// requests finish, for at most the configured shutdown time: requests
/// still running then are cut.
pub async fn serve_on(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let deadline = state.settings().shutdown_timeout;
    let access_log = state.access_log().clone();
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = signalled.send(());
    });
    let cut = async move {
        if on_signal.await.is_err() {
            // The server ended without a signal.
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(deadline).await;
    };
    let result = tokio::select! {
        result = server.into_future() => result.context("server error"),
        () = cut => {
            tracing::warn!(
                seconds = deadline.as_secs_f64(),
                "requests still running at the shutdown deadline were cut"
            );
            Ok(())
        }
    };
    access_log.flush().await;
    result
}

/// Once a day (the first time a minute after start), erases the personal
/// details the programmes' retention periods make due; with several
/// instances, the one holding the advisory lock does it.
pub fn spawn_retention(state: AppState) {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let mut every = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
        loop {
            every.tick().await;
            let today = state.clock().today();
            match state.db().await {
                Ok(mut conn) => match privacy::retention::run_as_leader(&mut conn, today).await {
                    Ok(Some(n)) if n > 0 => tracing::info!(count = n, "retention: erased"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "retention job failed"),
                },
                Err(e) => tracing::warn!(error = %e, "retention job: no database"),
            }
        }
    });
}

/// Every two seconds, recounts the report roll-ups of the months changed
/// since (`reports::rollup::refresh_pending`); with several instances,
/// the one holding the advisory lock does it. Reports never wait for it:
/// they count months not yet recounted on the fly.
pub fn spawn_rollups(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(2));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match state.db().await {
                Ok(mut conn) => match reports::rollup::refresh_pending(&mut conn).await {
                    Ok(Some(n)) if n > 0 => {
                        tracing::debug!(months = n, "report roll-ups recounted")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "report roll-ups: recount failed"),
                },
                Err(e) => tracing::debug!(error = %e, "report roll-ups: no database"),
            }
        }
    });
}

/// Deletes expired sessions and old sign-in attempts every 15 minutes.
pub fn spawn_maintenance(state: AppState) {
    tokio::spawn(async move {
        let store = DieselStore::new(state.0.pool.clone(), state.clock().clone());
        let mut every = tokio::time::interval(Duration::from_secs(15 * 60));
        loop {
            every.tick().await;
            match store.delete_expired().await {
                Ok(n) if n > 0 => tracing::info!(count = n, "deleted expired sessions"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot delete expired sessions"),
            }
            if let Ok(mut conn) = state.db().await
                && let Err(e) = Throttle::purge(&mut conn, state.clock().now()).await
            {
                tracing::warn!(error = %e, "cannot purge sign-in attempts");
            }
        }
    });
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
