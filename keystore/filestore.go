package keystore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"filippo.io/age"
	"github.com/senderpool/senderpool/internal/safefile"
)

// DefaultScryptWorkFactor is age's own default (2^18, about 1 s): what real
// use gets. Tests lower it through Options.ScryptWorkFactor.
const DefaultScryptWorkFactor = 18

// maxScryptWorkFactor is what age accepts when decrypting by default.
const maxScryptWorkFactor = 22

// ageHeaderPrefix starts every passphrase-encrypted age file.
var ageHeaderPrefix = []byte("age-encryption.org/v1\n-> scrypt ")

// maxSecretFileSize bounds what is read from a secret file (a Twilio secret
// is 32 characters; the age overhead is about 200 bytes).
const maxSecretFileSize = 64 << 10

// SecretFile is the path of the encrypted secret of a profile using
// StorageFile: <config dir>/<profile>.age.
func (s *Store) SecretFile(profile string) string {
	return filepath.Join(s.dir, secretFileName(profile))
}

// passphrase asks the caller's callback (or SENDERPOOL_PASSPHRASE).
func (s *Store) passphrase(ctx context.Context, profile string, confirm bool) (string, error) {
	var (
		pass string
		err  error
	)
	if s.passFn != nil {
		pass, err = s.passFn(ctx, confirm)
		if err != nil {
			return "", fmt.Errorf("passphrase for profile %q: %w", profile, redact(err, pass))
		}
	} else {
		pass = TrimLineEnding(s.getenv("SENDERPOOL_PASSPHRASE"))
	}
	if pass == "" {
		return "", fmt.Errorf("%w for the encrypted secret of profile %q: enter one when asked, or set SENDERPOOL_PASSPHRASE", ErrNoPassphrase, profile)
	}
	return pass, nil
}

// NewPassphrase asks for the passphrase of a new encrypted file for
// profile (Options.Passphrase with confirm, else SENDERPOOL_PASSPHRASE), so
// that a login has it before it sends the secret anywhere. Errors wrap
// ErrNoPassphrase, or are the callback's.
func (s *Store) NewPassphrase(ctx context.Context, profile string) (string, error) {
	if err := ValidateProfileName(profile); err != nil {
		return "", err
	}
	return s.passphrase(ctx, profile, true)
}

// encryptSecret returns the age file (scrypt recipient) holding secret.
func (s *Store) encryptSecret(secret, pass string) ([]byte, error) {
	r, err := age.NewScryptRecipient(pass)
	if err != nil {
		return nil, fmt.Errorf("encrypting: %w", ErrNoPassphrase)
	}
	r.SetWorkFactor(s.workFactor)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, fmt.Errorf("encrypting: %w", redact(err, secret, pass))
	}
	if _, err := io.WriteString(w, secret); err != nil {
		return nil, fmt.Errorf("encrypting: %w", redact(err, secret, pass))
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypting: %w", redact(err, secret, pass))
	}
	return buf.Bytes(), nil
}

// readSecretFile reads the encrypted secret of profile (not decrypting
// it): a regular file only, so that neither a named pipe nor a device can
// hang or flood the read (see safefile.ReadRegular).
func (s *Store) readSecretFile(ctx context.Context, profile string) ([]byte, error) {
	path := s.SecretFile(profile)
	data, _, err := safefile.ReadRegular(ctx, s.open, path, maxSecretFileSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: profile %q keeps its secret in %s, which does not exist: run `senderpool login --storage file --profile %s` again",
			ErrSecretNotFound, profile, path, profile)
	case errors.Is(err, safefile.ErrNotRegular):
		return nil, fmt.Errorf("%w: %w: run `senderpool login --storage file --profile %s` again", ErrSecretFileCorrupt, err, profile)
	case errors.Is(err, safefile.ErrTooLarge):
		data = nil // said below
	case err != nil:
		return nil, fmt.Errorf("reading the secret of profile %q: %w", profile, err)
	}
	if data == nil || !bytes.HasPrefix(data, ageHeaderPrefix) {
		return nil, fmt.Errorf("%w: %s is not a passphrase-encrypted age file: run `senderpool login --storage file --profile %s` again",
			ErrSecretFileCorrupt, path, profile)
	}
	return data, nil
}

// fileSecret decrypts the secret of profile with the caller's passphrase.
func (s *Store) fileSecret(ctx context.Context, profile string) (string, error) {
	data, err := s.readSecretFile(ctx, profile)
	if err != nil {
		return "", err
	}
	pass, err := s.passphrase(ctx, profile, false)
	if err != nil {
		return "", err
	}
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		return "", fmt.Errorf("decrypting: %w", ErrNoPassphrase)
	}
	id.SetMaxWorkFactor(max(maxScryptWorkFactor, s.workFactor))
	path := s.SecretFile(profile)
	r, err := age.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) && slices.Contains(nomatch.StanzaTypes, "scrypt") && errors.Is(err, age.ErrIncorrectIdentity) {
			return "", fmt.Errorf("%w for profile %q: the passphrase does not open %s (nothing was changed)", ErrWrongPassphrase, profile, path)
		}
		return "", fmt.Errorf("%w: %s cannot be decrypted: %w", ErrSecretFileCorrupt, path, redact(err, pass))
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxSecretFileSize))
	if err != nil {
		return "", fmt.Errorf("%w: %s is damaged: %w", ErrSecretFileCorrupt, path, redact(err, pass))
	}
	return string(plain), nil
}

// putFileSecret writes the sealed secret (encryptSecret's) as the
// profile's file and returns how to put back what was there. The caller
// holds the config lock.
func (s *Store) putFileSecret(ctx context.Context, profile string, sealed []byte) (undo func(), err error) {
	path := s.SecretFile(profile)
	// An old file that cannot be read (not a regular file, too large) was
	// of no use: undoing removes the new one.
	old, _, oldErr := safefile.ReadRegular(ctx, s.open, path, maxSecretFileSize)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(path, sealed); err != nil {
		return nil, fmt.Errorf("saving the secret of profile %q: %w", profile, err)
	}
	return func() {
		if oldErr == nil {
			_ = writeFileAtomic(path, old)
		} else {
			_ = os.Remove(path)
		}
	}, nil
}

// removeFileSecret deletes the profile's file; a missing one is fine.
func (s *Store) removeFileSecret(profile string) error {
	err := os.Remove(s.SecretFile(profile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the secret of profile %q: %w", profile, err)
	}
	return nil
}

// TrimLineEnding removes one line ending (\n, \r\n or \r) from the end of
// s and nothing else. It is the one rule for passphrases, typed at a
// prompt or set in SENDERPOOL_PASSPHRASE: spaces are part of a passphrase
// either way, so the same one opens the file either way.
func TrimLineEnding(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}
