//! The application: shared state, the router with its middleware, and the
//! HTTP server with graceful shutdown.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::Request;
use axum::middleware::from_fn;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::{DbConn, DbPool, PoolError};
use crate::error::{AppError, ErrorResponse};
use crate::{health, programmes, web};

/// What every request can reach.
pub struct App {
    pub pool: DbPool,
}

/// Axum state: a cheap handle on the [`App`].
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl AppState {
    pub fn new(pool: DbPool) -> Self {
        Self(Arc::new(App { pool }))
    }

    /// A connection for reading and writing. Reports will read through a
    /// separate `db_read()` once a replica is configured.
    pub async fn db(&self) -> Result<DbConn, PoolError> {
        self.0.pool.get().await
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "neighbourhood-mothers",
        description = "Case manager for neighbourhood-mothers programmes: the JSON API. \
                       Errors are `{\"error\": {\"code\", \"message\", \"request_id\", \"fields\"}}`."
    ),
    components(schemas(ErrorResponse))
)]
struct ApiDoc;

/// The API routes and their OpenAPI document. Every `/api/v1` route is
/// added here through `OpenApiRouter::routes`, so none can be missing from
/// the document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .merge(programmes::api_router())
        .split_for_parts()
}

/// All routes and middleware.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api();
    // Serialised once: the document does not change while the server runs.
    let openapi: Arc<str> = openapi.to_json().unwrap_or_else(|_| "{}".to_owned()).into();
    Router::new()
        .merge(programmes::router())
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = openapi.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        doc.to_string(),
                    )
                        .into_response()
                }
            }),
        )
        .route("/static/app.css", get(web::stylesheet))
        .route("/", get(|| async { Redirect::to("/programmes") }))
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
                            tracing::info_span!("request", method = %req.method(),
                                path = %req.uri().path(), request_id = %id)
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
                .layer(from_fn(web::render_errors))
                .layer(from_fn(web::flash::layer)),
        )
        .with_state(state)
}

/// Serves on `listener` until `shutdown` completes, then lets in-flight
/// requests finish.
pub async fn serve_on(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .context("server error")
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
