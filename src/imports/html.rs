//! The import page: choose what the file holds and the programme, upload it
//! (checked only, or saved), and read what happened row by row; and the
//! empty templates, with their headers in the reader's language.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Kind, Report, run};
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::{FormErrors, Page, render};

#[derive(Template)]
#[template(path = "imports/page.html")]
struct ImportPage {
    page: Page,
    programmes: Vec<Programme>,
    kinds: [Kind; 5],
    kind: String,
    programme: String,
    dry_run: bool,
    report: Option<Report>,
    errors: FormErrors,
}

impl ImportPage {
    fn columns(&self, k: &Kind) -> String {
        k.columns()
            .iter()
            .map(|c| c.header(&self.page.tr.lang()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn import_page(
    state: &AppState,
    access: &Access,
    page: Page,
    form: Upload,
    report: Option<Report>,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programmes = Programme::list(&mut conn, &access.scope, false).await?;
    let status = if !errors.is_empty() || report.as_ref().is_some_and(|r| !r.errors.is_empty()) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &ImportPage {
            page: page.with_nav("imports"),
            programmes,
            kinds: Kind::ALL,
            kind: form.kind,
            programme: form.programme,
            dry_run: form.dry_run,
            report,
            errors,
        },
    ))
}

/// What the upload form sends.
#[derive(Default)]
struct Upload {
    kind: String,
    programme: String,
    dry_run: bool,
    file: Vec<u8>,
    filename: String,
}

pub async fn page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let form = Upload {
        dry_run: true,
        ..Default::default()
    };
    import_page(&state, &access, page, form, None, FormErrors::default()).await
}

/// Reads the `multipart/form-data` upload (the body was read whole, up to
/// the upload limit, by the CSRF check).
async fn read_upload(req: Request) -> AppResult<Upload> {
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(|| AppError::BadRequest("expected a file upload".into()))?;
    let bytes = axum::body::to_bytes(req.into_body(), super::api::MAX_BYTES + 1024 * 1024)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut form = Upload::default();
    let bad = |e: multer::Error| AppError::BadRequest(e.to_string());
    while let Some(field) = parts.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "kind" => form.kind = field.text().await.map_err(bad)?,
            "programme" => form.programme = field.text().await.map_err(bad)?,
            "dry_run" => form.dry_run = !field.text().await.map_err(bad)?.is_empty(),
            "file" => {
                form.filename = field.file_name().unwrap_or("").to_lowercase();
                form.file = field.bytes().await.map_err(bad)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(form)
}

pub async fn upload(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    req: Request,
) -> AppResult<Response> {
    let form = read_upload(req).await?;
    let mut errors = crate::error::FieldErrors::new();
    let kind = Kind::parse(&form.kind);
    if kind.is_none() {
        errors.insert("kind", "error-choose-one");
    }
    let programme = form.programme.trim().parse::<i64>().ok().map(ProgrammeId);
    if programme.is_none() {
        errors.insert("programme", "error-choose-one");
    }
    if form.file.is_empty() {
        errors.insert("file", "error-import-no-file");
    }
    let (Some(kind), Some(programme)) = (kind, programme) else {
        return import_page(&state, &access, page, form, None, FormErrors(errors)).await;
    };
    if !errors.is_empty() {
        return import_page(&state, &access, page, form, None, FormErrors(errors)).await;
    }
    let mut conn = state.db().await?;
    let xlsx = form.filename.ends_with(".xlsx");
    let today = state.clock().today();
    let result = run(
        &mut conn,
        &access,
        &page.tr,
        super::Job {
            kind,
            programme,
            bytes: &form.file,
            xlsx,
            dry_run: form.dry_run,
        },
        today,
    )
    .await;
    drop(conn);
    match result {
        Ok(report) => {
            import_page(
                &state,
                &access,
                page,
                form,
                Some(report),
                FormErrors::default(),
            )
            .await
        }
        Err(AppError::Validation(e)) => {
            import_page(&state, &access, page, form, None, FormErrors(e)).await
        }
        Err(AppError::NotFound) => {
            let mut e = crate::error::FieldErrors::new();
            e.insert("programme", "error-programme-unknown");
            import_page(&state, &access, page, form, None, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

/// An empty file of `kind` with its headers in the reader's language.
pub async fn template(page: Page, Path(kind): Path<String>) -> AppResult<Response> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let header_line = kind
        .columns()
        .iter()
        .map(|c| c.header(&page.tr.lang()))
        .collect::<Vec<_>>()
        .join(";");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-template.csv\"", kind.as_str()),
            ),
        ],
        format!("\u{feff}{header_line}\r\n"),
    )
        .into_response())
}
