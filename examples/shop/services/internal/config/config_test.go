package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestShutdownFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Shutdown
		wantErr string
	}{
		{"defaults", nil, Shutdown{5 * time.Second, 20 * time.Second}, ""},
		{"manifest values", map[string]string{"SHUTDOWN_DRAIN_DELAY": "5s", "SHUTDOWN_TIMEOUT": "45s"}, Shutdown{5 * time.Second, 45 * time.Second}, ""},
		{"composite", map[string]string{"SHUTDOWN_DRAIN_DELAY": "1m30s", "SHUTDOWN_TIMEOUT": "250ms"}, Shutdown{90 * time.Second, 250 * time.Millisecond}, ""},
		{"no drain", map[string]string{"SHUTDOWN_DRAIN_DELAY": "0s"}, Shutdown{0, 20 * time.Second}, ""},
		{"bare number", map[string]string{"SHUTDOWN_DRAIN_DELAY": "5"}, Shutdown{}, "SHUTDOWN_DRAIN_DELAY=\"5\""},
		{"garbage", map[string]string{"SHUTDOWN_TIMEOUT": "soon"}, Shutdown{}, "SHUTDOWN_TIMEOUT=\"soon\""},
		{"negative", map[string]string{"SHUTDOWN_TIMEOUT": "-1s"}, Shutdown{}, "must not be negative"},
		{"zero timeout", map[string]string{"SHUTDOWN_TIMEOUT": "0s"}, Shutdown{}, "greater than zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ShutdownFromEnv(MapEnv(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestSecretsDir(t *testing.T) {
	if got := SecretsDir(MapEnv(nil), "orders"); got != "/var/run/secrets/orders" {
		t.Errorf("default = %q, want the manifest's mount /var/run/secrets/orders", got)
	}
	if got := SecretsDir(MapEnv(map[string]string{"SECRETS_DIR": "/tmp/x"}), "orders"); got != "/tmp/x" {
		t.Errorf("override = %q", got)
	}
}

func TestReadSecret(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	write("ok", "hunter2\n")
	write("crlf", "hunter2\r\n")
	write("empty", "")
	write("blank", " \n\n")
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o700); err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{"ok", "crlf"} {
		if v, err := ReadSecret(dir, name); err != nil || v != "hunter2" {
			t.Errorf("%s: got %q, %v", name, v, err)
		}
	}
	for name, want := range map[string]string{
		"missing": "is not mounted",
		"empty":   "is empty",
		"blank":   "is empty",
		"adir":    "adir",
	} {
		v, err := ReadSecret(dir, name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %q, %v; want an error containing %q", name, v, err, want)
		}
	}
}

func TestString(t *testing.T) {
	env := MapEnv(map[string]string{"A": " a ", "B": ""})
	if String(env, "A", "d") != "a" || String(env, "B", "d") != "d" || String(env, "C", "d") != "d" {
		t.Error("String does not trim or default")
	}
}
