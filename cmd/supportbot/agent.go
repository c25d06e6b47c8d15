package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

// runAgent manages console agents from the command line; `agent add`
// creates the first admin before anyone can log in.
func runAgent(ctx context.Context, g *globalFlags, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: supportbot agent add --email E --name N [--role admin|agent] < password")
		return exitError(2)
	}
	fs := flag.NewFlagSet("agent add", flag.ContinueOnError)
	g.also(fs)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "the agent's email, used to log in")
	name := fs.String("name", "", "the agent's display name")
	role := fs.String("role", escalation.RoleAdmin, "admin or agent")
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	if *email == "" || *name == "" {
		fs.Usage()
		return exitError(2)
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
