print("luastore")
