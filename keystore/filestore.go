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

	"filippo.io/age"
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
		pass = s.getenv("SENDERPOOL_PASSPHRASE")
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

// readSecretFile reads the encrypted secret of profile (not decrypting it).
func (s *Store) readSecretFile(profile string) ([]byte, error) {
	path := s.SecretFile(profile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: profile %q keeps its secret in %s, which does not exist: run `senderpool login --storage file --profile %s` again",
			ErrSecretNotFound, profile, path, profile)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the secret of profile %q: %w", profile, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSecretFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the secret of profile %q: %w", profile, err)
	}
	if len(data) > maxSecretFileSize || !bytes.HasPrefix(data, ageHeaderPrefix) {
		return nil, fmt.Errorf("%w: %s is not a passphrase-encrypted age file: run `senderpool login --storage file --profile %s` again",
			ErrSecretFileCorrupt, path, profile)
	}
	return data, nil
}

// fileSecret decrypts the secret of profile with the caller's passphrase.
func (s *Store) fileSecret(ctx context.Context, profile string) (string, error) {
	data, err := s.readSecretFile(profile)
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

// putFileSecret encrypts secret into the profile's file (asking for a new
// passphrase, confirm=true) and returns how to put back what was there.
func (s *Store) putFileSecret(ctx context.Context, profile, secret string) (undo func(), err error) {
	pass, err := s.passphrase(ctx, profile, true)
	if err != nil {
		return nil, err
	}
	data, err := s.encryptSecret(secret, pass)
	if err != nil {
		return nil, err
	}
	if err := ensureDir(s.dir); err != nil {
		return nil, err
	}
	path := s.SecretFile(profile)
	old, oldErr := os.ReadFile(path)
	if err := writeFileAtomic(path, data); err != nil {
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
