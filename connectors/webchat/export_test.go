package webchat

// Listening is closed once s's Run listens to the other replicas.
func Listening(s *Server) <-chan struct{} { return s.listening }
