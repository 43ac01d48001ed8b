# Multi-stage build: compile in the Rust image, run in a slim Debian image as
# a non-root user. Templates, translations, migrations and the stylesheet are
# compiled into the binary, so the runtime image needs nothing else.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin neighbourhood-mothers

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --create-home app \
 && install -d -o app -g app -m 700 /app/keys
COPY --from=build /src/target/release/neighbourhood-mothers /usr/local/bin/neighbourhood-mothers
WORKDIR /app
USER app
ENV BIND=0.0.0.0:3000
EXPOSE 3000
ENTRYPOINT ["neighbourhood-mothers"]
CMD ["serve"]
