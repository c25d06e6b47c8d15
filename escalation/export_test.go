package escalation

// Listening is closed once Run listens to the other replicas.
func Listening(s *Service) <-chan struct{} { return s.listening }
