# The gitfleet image: one static binary that runs as `gitfleet controller` (the hub, chart
# charts/gitfleet) or `gitfleet agent` (a Pull cluster's agent, chart charts/gitfleet-agent).
#
# NOTE: this file has not been built where it was written (no Docker engine there); `make test`
# does not build it. Build it with:
#   docker build --build-arg VERSION=$(git describe --tags --always) -t gitfleet:dev .
#
# `make build` does not stamp a version (bin/gitfleet reports "dev"); VERSION sets main.version
# here, and defaults to the same "dev".

ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# Static (no cgo), without local paths (-trimpath) and without VCS stamping (no .git in the
# build context; the Makefile sets -buildvcs=false too).
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/gitfleet ./cmd/gitfleet

# distroless static, nonroot variant: no shell, no package manager, user 65532 — the user the
# charts' securityContext runs as, with a read-only root file system.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gitfleet /usr/local/bin/gitfleet
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/gitfleet"]
