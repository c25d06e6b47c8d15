package supportbot

import (
	"errors"
	"fmt"
)

// Error codes. They map to HTTP statuses at the API edge and tell callers
// what kind of failure happened without parsing messages.
const (
	ECONFLICT     = "conflict"     // the action conflicts with current state
	EINTERNAL     = "internal"     // a bug or an unexpected failure
	EINVALID      = "invalid"      // the input is invalid
	ENOTFOUND     = "not_found"    // the entity does not exist (or is not the caller's)
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not authenticated
	ETOOLARGE     = "too_large"    // the input is over a size limit
	ERATELIMIT    = "rate_limited" // the caller sends too much
	EUNAVAILABLE  = "unavailable"  // a dependency (LLM, channel) is down
)

// Error is an application error: Message is safe to show to an end user,
// Code tells the kind of failure. Any other error is internal and is never
// shown to a user as is.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("supportbot error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the first *Error in err's
// chain, or a generic message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
