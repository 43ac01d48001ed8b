//! Routes declared once, each with the permission it needs. A domain's
//! `routes()` lists its pages and JSON routes through [`Routes`]; the
//! router, the OpenAPI document and the authorization policy are all built
//! from that one list (`app::router`), so a route cannot exist without its
//! rule, nor a rule without its route.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::PathItem;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::authz::policy::{Permission, Rule};
use crate::state::AppState;

/// A set of routes with their permissions.
pub struct Routes {
    pages: Router<AppState>,
    api: OpenApiRouter<AppState>,
    rules: Vec<Rule>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes::with_openapi(OpenApi::default())
    }

    /// Routes whose JSON part starts from this OpenAPI document (its
    /// title and shared schemas).
    pub fn with_openapi(doc: OpenApi) -> Routes {
        Routes {
            pages: Router::new(),
            api: OpenApiRouter::with_openapi(doc),
            rules: Vec::new(),
        }
    }

    /// A GET route (HEAD too) that needs `permission`.
    pub fn get<H, T>(self, path: &str, permission: Permission, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.page(Method::GET, MethodFilter::GET, path, permission, handler)
    }

    /// A POST route that needs `permission`.
    pub fn post<H, T>(self, path: &str, permission: Permission, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.page(Method::POST, MethodFilter::POST, path, permission, handler)
    }

    fn page<H, T>(
        mut self,
        method: Method,
        filter: MethodFilter,
        path: &str,
        permission: Permission,
        handler: H,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.rules.push(Rule {
            method,
            path: path.to_owned(),
            permission,
        });
        self.pages = self.pages.route(path, on(filter, handler));
        self
    }

    /// A documented JSON route (one handler of `utoipa_axum::routes!`): its
    /// method and path come from the handler's `#[utoipa::path]`.
    pub fn api(mut self, permission: Permission, route: UtoipaMethodRouter<AppState>) -> Routes {
        for (path, item) in &route.1.paths {
            for method in methods(item) {
                self.rules.push(Rule {
                    method,
                    path: path.clone(),
                    permission,
                });
            }
        }
        self.api = self.api.routes(route);
        self
    }

    /// These routes and `other`'s.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.pages = self.pages.merge(other.pages);
        self.api = self.api.merge(other.api);
        self.rules.extend(other.rules);
        self
    }

    /// The router, the OpenAPI document of the JSON routes, and the rules.
    pub fn into_parts(self) -> (Router<AppState>, OpenApi, Vec<Rule>) {
        let (api, doc) = self.api.split_for_parts();
        (self.pages.merge(api), doc, self.rules)
    }
}

/// The methods a documented path item has an operation for.
fn methods(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, item.get.is_some()),
        (Method::POST, item.post.is_some()),
        (Method::PUT, item.put.is_some()),
        (Method::DELETE, item.delete.is_some()),
        (Method::PATCH, item.patch.is_some()),
        (Method::OPTIONS, item.options.is_some()),
        (Method::HEAD, item.head.is_some()),
        (Method::TRACE, item.trace.is_some()),
    ]
    .into_iter()
    .filter_map(|(m, has)| has.then_some(m))
    .collect()
}
