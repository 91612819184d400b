"""What officers and coordinators do: commands, who may act and see, sign-in, administration, reply templates."""
