// Package web serves the lookup API, the directory pages and the map page over HTTP.
//
// Every error leaves as JSON {"error":{"status":…,"code":…,"message":…}} with a 4xx status
// for anything a client sent; the mapping from the directory's error kinds to HTTP status
// lives in one place (errors.go). Each response is computed from one dataset snapshot and
// names it in the X-Dataset header (and the "dataset" field of JSON answers).
package web
