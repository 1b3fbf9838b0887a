# Multi-stage build: a static binary on a small Debian base (a shell is kept for the compose start-up).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 communehr
COPY --from=build /out/server /usr/local/bin/server
USER communehr
ENV ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/server"]
CMD ["serve"]
