module skirmish

go 1.26

require (
	github.com/dolthub/maphash v0.1.0 // indirect
	github.com/klauspost/compress v1.18.0 // indirect
	github.com/lxzan/gws v1.8.9 // indirect
	github.com/prometheus/client_golang v1.23.2 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
