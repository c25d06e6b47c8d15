//go:build !unix

package retrieval

import "context"

// lockDir does not lock where flock is missing: concurrent syncs of one
// folder from two processes are then the operator's to avoid.
func lockDir(context.Context, string) (func(), error) { return func() {}, nil }
