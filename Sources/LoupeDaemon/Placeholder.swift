public enum LoupeDaemonModule {}
