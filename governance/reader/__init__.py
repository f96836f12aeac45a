"""What readers see of governance on a group page: the compliance summary and the mandate in force, from templates."""
