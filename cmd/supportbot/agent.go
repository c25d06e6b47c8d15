package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

// runAgent manages console agents from the command line; `agent add`
// creates the first admin before anyone can log in.
func runAgent(ctx context.Context, g *globalFlags, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := commandFlags("agent", "usage: supportbot agent add --email E --name N [--role admin|agent] < password\n\nCreates a console agent (the first admin, before anyone can log in), with the password read from stdin.", stderr)
	g.also(fs)
	email := fs.String("email", "", "the agent's email, used to log in")
	name := fs.String("name", "", "the agent's display name")
	role := fs.String("role", escalation.RoleAdmin, "admin or agent")
	pos, err := parseArgs(fs, args)
	switch {
	case err != nil:
		return err
	case len(pos) == 0:
		return usageError(fs, "missing the subcommand \"add\"")
	case pos[0] != "add":
		return usageError(fs, "unknown subcommand %q (the only one is \"add\")", pos[0])
	case len(pos) > 1:
		return usageError(fs, "unexpected argument %q", pos[1])
	case *email == "":
		return usageError(fs, "missing --email")
	case *name == "":
		return usageError(fs, "missing --name")
	}
	// The password comes on standard input, never as an argument that
	// would show in the process list and shell history.
	fmt.Fprint(stderr, "password (at least 10 characters), then Enter: ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password: %w", err)
	}
	fmt.Fprintln(stderr)
	password := strings.TrimRight(line, "\r\n")
	cfg, err := g.load()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := escalation.AddAgent(ctx, db, *email, *name, password, *role)
	if err != nil {
		if code := supportbot.ErrorCode(err); code == supportbot.EINVALID || code == supportbot.ECONFLICT {
			return fmt.Errorf("%s", supportbot.ErrorMessage(err))
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s %s <%s>; log in at /console/\n", a.Role, a.Name, a.Email)
	return nil
}
