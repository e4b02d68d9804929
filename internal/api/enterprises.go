package api

// enterpriseRoutes registers the routes of Enterprises.
func (s *Server) enterpriseRoutes() {}
