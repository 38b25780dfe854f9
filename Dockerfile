# Dockerfile — one image for every role of the skirmish binary: serve (all in
# one process), lobby and node (deploy/ runs those two on Kubernetes and
# Agones), keygen and bots.
#
#   docker build -t skirmish .
#   docker run --rm -p 8080:8080 skirmish     # `skirmish serve`: open http://localhost:8080/
#
# The build stage compiles the WebAssembly client (make client, into /out/web)
# and a static server binary; the final stage is distroless: no shell, no
# package manager, uid 65532 (nonroot). The client's files are at /web, which
# is what --web names in deploy/lobby.yaml and in CMD below.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# make client needs make, bash and gzip, which the golang image has.
RUN make client CLIENT_DIST=/out/web
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /skirmish ./cmd/skirmish

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /skirmish /skirmish
COPY --from=build /out/web /web
USER nonroot:nonroot
# 8080: serve and lobby (the HTTP API, the web client, /healthz, /metrics).
# 7000: node (the game's WebSocket at /ws, /healthz, /metrics).
EXPOSE 8080 7000
ENTRYPOINT ["/skirmish"]
# Without arguments the image runs everything in one process, reachable from
# outside the container; deploy/ passes lobby or node and their flags instead.
CMD ["serve", "--addr", ":8080", "--web", "/web"]
