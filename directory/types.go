package directory

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Edition names a vintage of the NHS boundaries, as the sources file declares it ("2023").
type Edition string

// AreaType names a layer of areas within an edition.
type AreaType string

// The area types, as named in the API.
const (
	CancerAlliance AreaType = "cancer-alliance"
	STP            AreaType = "stp"
	ICB            AreaType = "icb"
	CCG            AreaType = "ccg"
	SubICB         AreaType = "sub-icb"
	NHSRegion      AreaType = "nhs-region"
	Country        AreaType = "country"
)

// AreaTypes lists every type in the order answers list them.
var AreaTypes = []AreaType{CancerAlliance, STP, ICB, CCG, SubICB, NHSRegion, Country}

// Valid reports whether t is one of AreaTypes.
func (t AreaType) Valid() bool {
	for _, v := range AreaTypes {
		if v == t {
			return true
		}
	}
	return false
}

// Area is one area of one layer. Country areas have an empty Edition.
type Area struct {
	Code    string            `json:"code"`
	Name    string            `json:"name"`
	Type    AreaType          `json:"type"`
	Edition Edition           `json:"edition,omitempty"`
	ODSCode string            `json:"ods_code,omitempty"`
	Parents map[string]string `json:"source_codes,omitempty"` // other areas' codes the source file gives: {"stp": "E54000009"}
	// Since2024, for a 2021 alliance (as in editions 2021 and 2023), is what it became in April 2024.
	Since2024 *Successor `json:"since_2024,omitempty"`
	Bound     orb.Bound  `json:"-"`
}

// Error kinds. Every error the package returns to a caller wraps one of them, so that the web
// layer maps kinds to HTTP status in one place.
var (
	ErrInvalid  = errors.New("invalid")   // the question is malformed
	ErrNotFound = errors.New("not found") // well formed, but nothing is known of it
)

// Error is a failure a caller can show: Code is stable and machine-readable
// ("invalid_postcode"), Message says what was wrong in plain words.
type Error struct {
	Kind    error
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Kind }

func invalid(code, format string, args ...any) error {
	return &Error{Kind: ErrInvalid, Code: code, Message: fmt.Sprintf(format, args...)}
}

func notFound(code, format string, args ...any) error {
	return &Error{Kind: ErrNotFound, Code: code, Message: fmt.Sprintf(format, args...)}
}
