package escalation_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// crashChildEnv, when set to a directory, makes TestCrashRecovery act as
// the child: a server process that accepts tickets until it is killed.
const crashChildEnv = "SUPPORTBOT_ESCALATION_CRASH_CHILD"

// attachmentFor makes a distinct valid PNG-typed attachment for ticket i
// (a PNG signature followed by bytes unique to i).
func attachmentFor(i int) []byte {
	b := append([]byte(nil), png1x1...)
	return append(b, []byte(strings.Repeat(fmt.Sprintf("ticket %d ", i), 500))...)
}

// crashChild accepts tickets with attachments and a queued agent reply, and
// prints "ACCEPTED <ticket id> <attachment sha256>" once each Escalate
// returned. It never returns: the parent kills it.
func crashChild(dir string) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(dir, "supportbot.db"))
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	svc := escalation.New(escalation.Config{AttachmentDir: filepath.Join(dir, "attachments")}, db, nil, nil)
	if err := svc.Open(ctx); err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	admin, err := escalation.AddAgent(ctx, db, "admin@example.com", "Ada", "correct horse battery", escalation.RoleAdmin)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	for i := 1; ; i++ {
		data := attachmentFor(i)
		tk, err := svc.Escalate(ctx, supportbot.Escalation{
			Message: supportbot.Message{ID: fmt.Sprint("m", i), Channel: "webchat", UserID: fmt.Sprint("u", i),
				ConversationID: fmt.Sprint("c", i), Text: fmt.Sprintf("my account %d was hacked, screenshot attached", i),
				Attachments: []supportbot.Attachment{{Name: "proof.png", Data: data}}},
			Lang: "en", Reason: "account_compromised",
		})
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(2)
		}
		// A reply queued for a channel that is not running: the outbox must
		// still have it after the crash.
		if _, err := svc.Reply(ctx, admin, tk.ID, fmt.Sprint("We froze it, ticket ", tk.ID), ""); err != nil {
			fmt.Println("ERROR", err)
			os.Exit(2)
		}
		sum := sha256.Sum256(data)
		fmt.Printf("ACCEPTED %d %s\n", tk.ID, hex.EncodeToString(sum[:]))
	}
}

// TestCrashRecovery kills a process with SIGKILL right after it accepted
// tickets with attachments, restarts on the same data directory and finds
// every accepted ticket, its attachment and its queued reply.
func TestCrashRecovery(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashRecovery$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type accepted struct {
		id  int64
		sha string
	}
	var acc []accepted
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acc) < 3 {
		var a accepted
		if _, err := fmt.Sscanf(sc.Text(), "ACCEPTED %d %s", &a.id, &a.sha); err != nil {
			cmd.Process.Kill()
			t.Fatalf("child said %q", sc.Text())
		}
		acc = append(acc, a)
	}
	// Kill while the child is in the middle of accepting the next ticket.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die by SIGKILL: %v", err)
	}
	if len(acc) < 3 {
		t.Fatalf("child accepted only %d tickets", len(acc))
	}

	// Restart on the same data directory.
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(dir, "supportbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %q %v", check, err)
	}
	ch := &recChannel{name: "webchat"}
	svc := escalation.New(escalation.Config{AttachmentDir: filepath.Join(dir, "attachments")}, db,
		map[string]supportbot.Channel{"webchat": ch}, nil)
	if err := svc.Open(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range acc {
		tk, err := svc.Ticket(ctx, a.id)
		if err != nil {
			t.Fatalf("ticket %d lost: %v", a.id, err)
		}
		if tk.Priority != supportbot.PriorityUrgent || !tk.Open() {
			t.Errorf("ticket %d: %+v", a.id, tk)
		}
		as, err := svc.Attachments(ctx, a.id)
		if err != nil || len(as) != 1 || as[0].SHA256 != a.sha {
			t.Fatalf("ticket %d attachments %+v %v", a.id, as, err)
		}
		_, data, err := svc.OpenAttachment(ctx, as[0].ID)
		if err != nil {
			t.Fatalf("ticket %d attachment content: %v", a.id, err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != a.sha {
			t.Fatalf("ticket %d attachment content changed", a.id)
		}
	}
	// Every ticket in the database (including one the child was writing
	// when it died) is whole: none has a dangling attachment.
	all, _ := svc.ListTickets(ctx, escalation.Filter{Limit: 1000})
	for _, tk := range all {
		as, _ := svc.Attachments(ctx, tk.ID)
		for _, a := range as {
			if _, _, err := svc.OpenAttachment(ctx, a.ID); err != nil {
				t.Errorf("ticket %d: attachment %d: %v", tk.ID, a.ID, err)
			}
		}
	}
	// The queued replies go out after the restart.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go svc.Run(cctx)
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := map[string]bool{}
		for _, s := range ch.Sent() {
			got[s.Reply.TicketID] = true
		}
		missing := 0
		for _, a := range acc {
			if !got[fmt.Sprint(a.id)] {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d accepted tickets' replies not delivered after restart", missing)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
