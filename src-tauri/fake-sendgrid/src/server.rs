//! HTTP/1.1 serving: `/v3/mail/send` like SendGrid, and `/_fake/…` to script and inspect the
//! fake from another process.

use crate::{check, Reply, Request, Shared};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

type Response = hyper::Response<Full<Bytes>>;

/// SendGrid refuses bodies over 30 MB; the fake does too, without reading them whole.
const MAX_BODY: usize = 30 * 1024 * 1024;

pub async fn serve(listener: TcpListener, shared: Shared) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(request, shared.clone()));
            // A client that times out and closes the connection ends a hung request here.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn respond(status: StatusCode, body: Value) -> Response {
    let mut response = hyper::Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// SendGrid's error body: `{"errors": [{"message", "field", "help"}]}`.
fn errors(status: StatusCode, field: Option<&str>, message: &str) -> Response {
    respond(
        status,
        json!({"errors": [{"message": message, "field": field, "help": null}]}),
    )
}

async fn handle(
    request: hyper::Request<Incoming>,
    shared: Shared,
) -> Result<Response, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let bytes = match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(errors(
                StatusCode::PAYLOAD_TOO_LARGE,
                None,
                "Request body too large.",
            ))
        }
    };
    let path = parts.uri.path();
    if let Some(control) = path.strip_prefix("/_fake/") {
        return Ok(control_endpoint(&parts.method, control, &bytes, &shared));
    }
    if path != "/v3/mail/send" {
        return Ok(errors(StatusCode::NOT_FOUND, None, "Not found."));
    }
    if parts.method != Method::POST {
        return Ok(errors(
            StatusCode::METHOD_NOT_ALLOWED,
            None,
            "Method not allowed.",
        ));
    }
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let expected = format!("Bearer {}", shared.lock().key);
    let authorised = parts
        .headers
        .get(AUTHORIZATION)
        .is_some_and(|v| v.as_bytes() == expected.as_bytes());
    let (status, response) = if !authorised {
        let response = errors(
            StatusCode::UNAUTHORIZED,
            None,
            "The provided authorization grant is invalid, expired, or revoked",
        );
        (Some(401), Some(response))
    } else if !parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
    {
        let response = errors(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
            "Content-Type should be application/json.",
        );
        (Some(415), Some(response))
    } else {
        match check::mail(&body) {
            Err(refusal) => {
                let response = errors(
                    StatusCode::BAD_REQUEST,
                    Some(&refusal.field),
                    &refusal.message,
                );
                (Some(400), Some(response))
            }
            Ok(mail) => {
                let reply = shared.lock().script.pop_front().unwrap_or(Reply::Accept);
                if reply == Reply::Accept {
                    shared.lock().mails.push(mail);
                }
                let response = scripted(&reply);
                (response.as_ref().map(|r| r.status().as_u16()), response)
            }
        }
    };
    shared.lock().requests.push(Request { status, body });
    match response {
        Some(response) => Ok(response),
        // Hang: hold the connection open; hyper drops this future when the client gives up.
        None => std::future::pending().await,
    }
}

/// The response a scripted reply stands for; `None` for [`Reply::Hang`].
fn scripted(reply: &Reply) -> Option<Response> {
    let response = match reply {
        Reply::Accept => {
            let mut response = hyper::Response::new(Full::new(Bytes::new()));
            *response.status_mut() = StatusCode::ACCEPTED;
            response
        }
        Reply::BadRequest => errors(
            StatusCode::BAD_REQUEST,
            Some("from"),
            "The from address does not match a verified Sender Identity.",
        ),
        Reply::Unauthorized => errors(
            StatusCode::UNAUTHORIZED,
            None,
            "The provided authorization grant is invalid, expired, or revoked",
        ),
        Reply::PayloadTooLarge => errors(
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            "The JSON payload you have included in your request is too large.",
        ),
        Reply::TooManyRequests {
            retry_after,
            rate_limit_reset,
        } => {
            let mut response = errors(StatusCode::TOO_MANY_REQUESTS, None, "too many requests");
            let headers = response.headers_mut();
            if let Some(seconds) = retry_after {
                headers.insert("retry-after", HeaderValue::from(*seconds));
            }
            if let Some(reset) = rate_limit_reset {
                headers.insert("x-ratelimit-reset", HeaderValue::from(*reset));
                headers.insert("x-ratelimit-remaining", HeaderValue::from(0));
            }
            response
        }
        Reply::ServerError => errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            "Internal server error.",
        ),
        Reply::Hang => return None,
    };
    Some(response)
}

/// `GET mails`, `GET requests`, `POST script` (a JSON array of replies), `POST reset`.
fn control_endpoint(method: &Method, name: &str, body: &[u8], shared: &Shared) -> Response {
    match (method, name) {
        (&Method::GET, "mails") => respond(StatusCode::OK, json!(shared.lock().mails)),
        (&Method::GET, "requests") => respond(StatusCode::OK, json!(shared.lock().requests)),
        (&Method::POST, "script") => match serde_json::from_slice::<Vec<Reply>>(body) {
            Ok(replies) => {
                shared.lock().script.extend(replies);
                respond(StatusCode::OK, json!({"ok": true}))
            }
            Err(e) => errors(StatusCode::BAD_REQUEST, None, &e.to_string()),
        },
        (&Method::POST, "reset") => {
            let mut state = shared.lock();
            state.script.clear();
            state.requests.clear();
            state.mails.clear();
            respond(StatusCode::OK, json!({"ok": true}))
        }
        _ => errors(StatusCode::NOT_FOUND, None, "Unknown control endpoint."),
    }
}
