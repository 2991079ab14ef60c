package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nhs-geo/alliance/directory"
)

// floatParam reads a required number within [min, max] from the parsed query q.
func floatParam(q url.Values, name string, min, max float64) (float64, error) {
	vals := q[name]
	if len(vals) > 1 { // before emptiness: a repeated parameter is invalid, blank or not
		return 0, errBadRequest("invalid_parameter", fmt.Sprintf("parameter %q is given %d times", name, len(vals)))
	}
	if len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
		return 0, errBadRequest("missing_parameter", fmt.Sprintf("parameter %q is required", name))
	}
	raw := strings.TrimSpace(vals[0])
	if len(raw) > 32 {
		return 0, errBadRequest("invalid_parameter", fmt.Sprintf("parameter %q is too long to be a coordinate", name))
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || !isDecimal(raw) || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errBadRequest("invalid_parameter", fmt.Sprintf("parameter %q must be a decimal number, not %q", name, raw))
	}
	if v < min || v > max {
		return 0, errBadRequest("out_of_range", fmt.Sprintf("parameter %q is %v; it must lie between %v and %v", name, v, min, max))
	}
	return v, nil
}

// optionalParam reads a parameter that may be absent ("") but not repeated: a second value
// is a 400, so that no value is silently ignored.
func optionalParam(r *http.Request, name string) (string, error) {
	return optionalValue(query(r), name)
}

// optionalValue is optionalParam on a query already parsed.
func optionalValue(q url.Values, name string) (string, error) {
	vals := q[name]
	if len(vals) > 1 {
		return "", errBadRequest("invalid_parameter", fmt.Sprintf("parameter %q is given %d times", name, len(vals)))
	}
	if len(vals) == 0 {
		return "", nil
	}
	return strings.TrimSpace(vals[0]), nil
}

// editionParam reads ?edition=, "" meaning the default; allowAll admits "all". Editions are
// data: any other value is checked against the request's snapshot, and an unknown one is a 400
// unknown_edition that names the snapshot's editions.
func editionParam(r *http.Request, allowAll bool) (directory.Edition, error) {
	e, err := editionValue(query(r), allowAll)
	if err != nil || e == "" || (e == "all" && allowAll) {
		return e, err
	}
	if snap, _ := r.Context().Value(snapshotKey).(*directory.Snapshot); snap != nil {
		if _, err := snap.Edition(e); err != nil {
			return "", err
		}
	}
	return e, nil
}

// editionValue is editionParam on a query already parsed, without the check against the
// snapshot (the lookup that follows makes it, with the same error). A value too long to be
// an edition is cut short, so that the error does not echo all of it.
func editionValue(q url.Values, allowAll bool) (directory.Edition, error) {
	e, err := optionalValue(q, "edition")
	if err != nil {
		return "", err
	}
	if e == "all" && allowAll {
		return "all", nil
	}
	return directory.Edition(clipHeader(e)), nil
}

// isDecimal admits plain decimal numbers ("-1.47", "53", "5.3e1"), not the hexadecimal,
// underscored or named forms that strconv also parses.
func isDecimal(s string) bool {
	return strings.Trim(s, "0123456789+-.eE") == "" && strings.ContainsAny(s, "0123456789")
}

// validQuery refuses query strings that Go would silently cut short (a ';' or a bad escape),
// so that no parameter is ignored without the client knowing.
func validQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			next.ServeHTTP(w, r)
			return
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			fail(w, http.StatusBadRequest, "invalid_query", "the query string is malformed: "+err.Error())
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			r.Form = q // what ParseForm would make of a request without a body: parsed once
		}
		next.ServeHTTP(w, r)
	})
}

// query returns the request's query parameters, parsed once by validQuery where it ran.
func query(r *http.Request) url.Values {
	if r.Form != nil {
		return r.Form
	}
	return r.URL.Query()
}

// hospitalsParam reads ?include=hospitals[&hospitals=N]: how many nearest hospitals to add to
// an answer (0: none asked for; 3 by default, at most directory.MaxHospitals).
func hospitalsParam(q url.Values) (int, error) {
	include, err := optionalValue(q, "include")
	if err != nil {
		return 0, err
	}
	n, err := optionalValue(q, "hospitals")
	if err != nil {
		return 0, err
	}
	switch include {
	case "":
		if n != "" {
			return 0, errBadRequest("invalid_parameter", "parameter \"hospitals\" needs include=hospitals")
		}
		return 0, nil
	case "hospitals":
	default:
		return 0, errBadRequest("invalid_parameter", fmt.Sprintf("include=%q: the only thing to include is hospitals", clipValue(include)))
	}
	if n == "" {
		return 3, nil
	}
	v, err := strconv.Atoi(n)
	if err != nil || v < 1 || v > directory.MaxHospitals {
		return 0, errBadRequest("invalid_parameter", fmt.Sprintf("hospitals=%q: a whole number from 1 to %d", clipValue(n), directory.MaxHospitals))
	}
	return v, nil
}

func clipValue(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
